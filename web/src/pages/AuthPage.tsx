import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { login, register } from '../api/endpoints';
import { errorMessage } from '../api/client';
import { saveSession } from '../api/session';
import { hrefOf } from '../app/route';

export function deviceName(userAgent: string = navigator.userAgent): string {
  const browser = /Firefox\//.test(userAgent)
    ? 'Firefox'
    : /Edg\//.test(userAgent)
      ? 'Edge'
      : /Chrom(e|ium)\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'Browser';
  const system = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Mac OS X/.test(userAgent)
        ? 'macOS'
        : /Windows/.test(userAgent)
          ? 'Windows'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : '';
  return `Web: ${browser}${system ? ` on ${system}` : ''}`;
}

export function AuthPage({ mode }: { mode: 'login' | 'register' }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');

  const submit = useMutation({
    mutationFn: async () => {
      if (mode === 'register') await register(email.trim(), name.trim(), password);
      const answer = await login(email.trim(), password, deviceName());
      saveSession({ accessToken: answer.access_token, deviceId: answer.device_id, email: email.trim().toLowerCase() });
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate();
  };

  const registering = mode === 'register';
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={420}>
        <form onSubmit={onSubmit} aria-labelledby="auth-title">
          <Stack>
            <Title order={1} id="auth-title" size="h2">
              {registering ? 'Create your syncbox account' : 'Sign in to syncbox'}
            </Title>
            {submit.isError && (
              <Alert color="red" role="alert" title={registering ? 'Could not create the account' : 'Could not sign in'}>
                {errorMessage(submit.error)}
              </Alert>
            )}
            <TextInput
              label="Email"
              type="email"
              autoComplete="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            {registering && (
              <TextInput label="Name" autoComplete="name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
            )}
            <PasswordInput
              label="Password"
              autoComplete={registering ? 'new-password' : 'current-password'}
              required
              minLength={registering ? 8 : undefined}
              description={registering ? 'At least 8 characters' : undefined}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button type="submit" loading={submit.isPending}>
              {registering ? 'Create account' : 'Sign in'}
            </Button>
            <Text size="sm">
              {registering ? (
                <>
                  Already have an account? <Anchor href={hrefOf({ name: 'login' })}>Sign in</Anchor>
                </>
              ) : (
                <>
                  New to syncbox? <Anchor href={hrefOf({ name: 'register' })}>Create an account</Anchor>
                </>
              )}
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { errorMessage } from '../api/client';

/** Asks for a name (new folder, rename); `onSubmit` does the request and its error is shown here. */
export function NameDialog({
  opened,
  title,
  label,
  initial,
  submitLabel,
  onClose,
  onSubmit,
}: {
  opened: boolean;
  title: string;
  label: string;
  initial: string;
  submitLabel: string;
  onClose: () => void;
  onSubmit: (name: string) => Promise<unknown>;
}) {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const selectedOnce = useRef(false);
  useEffect(() => {
    if (opened) {
      setName(initial);
      setError(null);
      selectedOnce.current = false;
    }
  }, [opened, initial]);

  const invalid = name.trim() === '' ? null : /[/\\]/.test(name) ? 'A name cannot contain / or \\' : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim() || invalid) return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit(name.trim());
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <form onSubmit={submit}>
        <Stack>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <TextInput
            label={label}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={invalid}
            required
            data-autofocus
            onFocus={(e) => {
              // When the dialog opens, select the name without its extension, as file managers do.
              if (selectedOnce.current) return;
              selectedOnce.current = true;
              const dot = e.currentTarget.value.lastIndexOf('.');
              e.currentTarget.setSelectionRange(0, dot > 0 ? dot : e.currentTarget.value.length);
            }}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!name.trim() || !!invalid}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

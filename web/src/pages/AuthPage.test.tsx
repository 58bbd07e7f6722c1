import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthPage, deviceName } from './AuthPage';
import { fakeFetch, json, renderWithProviders } from '../test/render';
import { loadSession } from '../api/session';

afterEach(() => vi.unstubAllGlobals());

describe('AuthPage', () => {
  it('shows the server’s detail when the sign-in is refused', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        'POST /auth/login': () => json({ code: 'too_many_attempts', detail: 'Too many failed logins; try again in 900 s' }, 429),
      }).fetch,
    );
    renderWithProviders(<AuthPage mode="login" />);
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Email' }), 'ada@example.com');
    await user.type(screen.getByLabelText(/^Password/), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many failed logins; try again in 900 s');
    expect(loadSession()).toBeNull();
  });

  it('registers, then signs in as a device named after the browser', async () => {
    const fake = fakeFetch({
      'POST /auth/register': () => json({ user_id: 7 }, 201),
      'POST /auth/login': () => json({ access_token: 'tok', device_id: 'dev1' }),
    });
    vi.stubGlobal('fetch', fake.fetch);
    renderWithProviders(<AuthPage mode="register" />);
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Email' }), ' Ada@Example.com ');
    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'Ada');
    await user.type(screen.getByLabelText(/^Password/), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    await vi.waitFor(() => expect(loadSession()).toEqual({ accessToken: 'tok', deviceId: 'dev1', email: 'ada@example.com' }));
    expect(JSON.parse(String(fake.calls[0].init!.body))).toEqual({ email: 'Ada@Example.com', name: 'Ada', password: 'correct horse' });
    expect(JSON.parse(String(fake.calls[1].init!.body)).device_name).toMatch(/^Web: /);
  });

  it('names the device by browser and system', () => {
    expect(deviceName('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36')).toBe('Web: Chrome on Linux');
    expect(deviceName('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605 Version/17 Mobile Safari/604')).toBe('Web: Safari on iOS');
    expect(deviceName('Mozilla/5.0 (Windows NT 10.0; rv:120.0) Gecko/20100101 Firefox/120.0')).toBe('Web: Firefox on Windows');
  });
});

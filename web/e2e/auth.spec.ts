import { expect, test } from '@playwright/test';
import { PASSWORD, registerByApi, screenshot, signIn, uniqueEmail } from './helpers';

test('register in the page, sign out, sign in again; a wrong password shows the server’s detail', async ({ page }) => {
  const email = uniqueEmail('ada');
  await page.goto('/');
  await expect(page).toHaveURL(/#\/login$/);
  await screenshot(page, 'login');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'Name' }).fill('Ada Lovelace');
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'All files', level: 2 })).toBeVisible();
  await expect(page.getByText('This folder is empty.')).toBeVisible();

  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('syncbox.session') ?? '{}').accessToken);
  expect((await page.request.get('/auth/check', { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(200);
  await page.getByRole('button', { name: `Account menu for ${email}` }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to syncbox' })).toBeVisible();
  // Signing out revoked this browser's device: its token is refused from now on.
  await expect
    .poll(async () => (await page.request.get('/auth/check', { headers: { Authorization: `Bearer ${token}` } })).status())
    .toBe(401);

  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText(/invalid|password|credentials/i);

  await signIn(page, email);
  // A reload keeps the session (sessionStorage), the hash route too.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'All files', level: 2 })).toBeVisible();
});

test('a revoked device is sent back to the login', async ({ page, request }) => {
  const account = await registerByApi(request, 'grace');
  await signIn(page, account.email);
  await page.getByRole('link', { name: 'Devices' }).first().click();
  const rows = page.getByTestId('device-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'This browser' })).toHaveCount(1);
  await screenshot(page, 'devices');
  // Revoke this browser's own device: its token stops working at once.
  await rows.filter({ hasText: 'This browser' }).getByRole('button', { name: /Revoke/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to syncbox' })).toBeVisible();
  const devices = await request.get('/devices', { headers: { Authorization: `Bearer ${account.token}` } });
  const list = (await devices.json()).devices as { revoked_at: string | null; current: boolean }[];
  expect(list.filter((d) => d.revoked_at !== null)).toHaveLength(1);
});

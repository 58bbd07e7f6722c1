import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const PASSWORD = 'correct horse battery staple';

/** A fresh account per test run, so the tests can run again and again against one stack. */
export function uniqueEmail(who: string): string {
  return `${who}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@e2e.example.com`;
}

export interface Account {
  email: string;
  token: string;
}

export async function registerByApi(request: APIRequestContext, who: string, name = who): Promise<Account> {
  const email = uniqueEmail(who);
  const registered = await request.post('/auth/register', { data: { email, password: PASSWORD, name } });
  expect(registered.status(), await registered.text()).toBe(201);
  const login = await request.post('/auth/login', { data: { email, password: PASSWORD, device_name: `e2e api (${who})` } });
  expect(login.ok(), await login.text()).toBeTruthy();
  return { email, token: (await login.json()).access_token };
}

export function bearer(account: Account) {
  return { Authorization: `Bearer ${account.token}` };
}

/** Uploads through the plain multipart API (not the page): another device's change. */
export async function uploadByApi(request: APIRequestContext, account: Account, path: string, content: string | Buffer) {
  const response = await request.post('/files/upload', {
    headers: bearer(account),
    multipart: {
      file_path: path,
      content: { name: path.split('/').pop()!, mimeType: 'application/octet-stream', buffer: Buffer.from(content) },
    },
  });
  expect(response.ok(), await response.text()).toBeTruthy();
  return (await response.json()) as { file_id: string; version_id: string };
}

export async function listByApi(request: APIRequestContext, account: Account, path: string) {
  const response = await request.get(`/files/list?path=${encodeURIComponent(path)}`, { headers: bearer(account) });
  expect(response.ok(), await response.text()).toBeTruthy();
  return (await response.json()).entries as { file_id: string; name: string; path: string; is_dir: boolean; size: number }[];
}

export async function downloadByApi(request: APIRequestContext, account: Account, fileId: string): Promise<Buffer> {
  const response = await request.get(`/files/download/${fileId}`, { headers: bearer(account) });
  expect(response.ok(), await response.text()).toBeTruthy();
  return response.body();
}

export async function signIn(page: Page, email: string) {
  await page.goto('/#/login');
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'All files', level: 2 })).toBeVisible();
}

/** The row of the listing that shows `name`. */
export function row(page: Page, name: string) {
  return page.getByTestId('file-row').filter({ has: page.getByRole('button', { name, exact: true }) });
}

export async function rowAction(page: Page, name: string, action: string) {
  await page.getByRole('button', { name: `Actions for ${name}`, exact: true }).click();
  await page.getByRole('menuitem', { name: action }).click();
}

/** Saves a screenshot when SYNCBOX_SCREENSHOTS names a directory. */
export async function screenshot(page: Page, name: string) {
  const dir = process.env.SYNCBOX_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}

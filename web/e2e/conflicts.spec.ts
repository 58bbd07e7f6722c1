import { expect, test } from '@playwright/test';
import { bearer, registerByApi, screenshot, signIn, uploadByApi } from './helpers';

test('an edit from a device that was behind shows as an open conflict, which can be marked resolved', async ({ page, request }) => {
  const account = await registerByApi(request, 'conflict');
  const first = await uploadByApi(request, account, '/Shared notes/agenda.txt', 'one\n');
  // Two devices both start from the first version; the second to commit is refused and recorded.
  const edit = (text: string) =>
    request.post('/files/upload', {
      headers: bearer(account),
      multipart: {
        file_path: '/Shared notes/agenda.txt',
        parent_version_id: first.version_id,
        content: { name: 'agenda.txt', mimeType: 'text/plain', buffer: Buffer.from(text) },
      },
    });
  expect((await edit('one\ntwo from the laptop\n')).status()).toBe(200);
  const refused = await edit('one\nthree from the phone\n');
  expect(refused.status()).toBe(409);
  expect((await refused.json()).code).toBe('conflict');

  await signIn(page, account.email);
  await page.getByRole('link', { name: 'Conflicts' }).click();
  const conflict = page.getByTestId('conflict-row').filter({ hasText: 'agenda.txt' });
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText('/Shared notes');
  await screenshot(page, 'conflicts');

  await conflict.getByRole('button', { name: 'Versions of agenda.txt' }).click();
  await expect(page.getByRole('dialog', { name: 'Versions of “agenda.txt”' }).getByTestId('version')).toHaveCount(2);
  await page.keyboard.press('Escape');

  await conflict.getByRole('button', { name: /mark resolved/ }).click();
  await expect(page.getByText('No open conflicts.')).toBeVisible();
  const open = await request.get('/conflicts', { headers: bearer(account) });
  expect(((await open.json()).conflicts as { status: string }[]).filter((c) => c.status === 'OPEN')).toHaveLength(0);
});

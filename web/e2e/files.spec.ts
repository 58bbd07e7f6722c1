import { expect, test } from '@playwright/test';
import { bearer, downloadByApi, listByApi, registerByApi, row, rowAction, screenshot, signIn, uploadByApi } from './helpers';

test('new folder, rename, move, delete to trash and restore', async ({ page, request }) => {
  const account = await registerByApi(request, 'tree');
  await uploadByApi(request, account, '/notes.txt', 'first notes\n');
  await uploadByApi(request, account, '/report 10.txt', 'ten');
  await uploadByApi(request, account, '/report 9.txt', 'nine');
  await signIn(page, account.email);

  // Natural order, folders first.
  await page.getByRole('button', { name: 'New folder' }).click();
  await page.getByRole('dialog').getByRole('textbox', { name: 'Folder name' }).fill('Projects');
  await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
  await expect(row(page, 'Projects')).toBeVisible();
  const names = page.getByTestId('file-row').locator('.file-name-button');
  await expect(names).toHaveText(['Projects', 'notes.txt', 'report 9.txt', 'report 10.txt']);
  // Sort by name, descending: folders stay first.
  await page.getByRole('columnheader', { name: /Name/ }).getByRole('button').click();
  await expect(names).toHaveText(['Projects', 'report 10.txt', 'report 9.txt', 'notes.txt']);
  await expect(page.getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'descending');

  // A name already taken: the server's detail is shown in the dialog.
  await rowAction(page, 'notes.txt', 'Rename');
  await page.getByRole('dialog').getByRole('textbox', { name: 'New name' }).fill('report 9.txt');
  await page.getByRole('dialog').getByRole('button', { name: 'Rename' }).click();
  await expect(page.getByRole('dialog').getByRole('alert')).not.toBeEmpty();
  await page.getByRole('dialog').getByRole('textbox', { name: 'New name' }).fill('ideas.txt');
  await page.getByRole('dialog').getByRole('button', { name: 'Rename' }).click();
  await expect(row(page, 'ideas.txt')).toBeVisible();
  await expect(row(page, 'notes.txt')).toHaveCount(0);

  // Move two selected files into the folder.
  await page.getByRole('checkbox', { name: 'Select report 9.txt' }).check();
  await page.getByRole('checkbox', { name: 'Select report 10.txt' }).check();
  await expect(page.getByRole('toolbar', { name: 'Selected items' })).toContainText('2 selected');
  await page.getByRole('toolbar', { name: 'Selected items' }).getByRole('button', { name: 'Move' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Projects' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Move here' }).click();
  await expect(row(page, 'report 9.txt')).toHaveCount(0);
  expect((await listByApi(request, account, '/Projects')).map((e) => e.name).sort()).toEqual(['report 10.txt', 'report 9.txt']);

  // Open the folder by its name; breadcrumbs lead back.
  await row(page, 'Projects').getByRole('button', { name: 'Projects', exact: true }).click();
  await expect(page).toHaveURL(/#\/files\/Projects$/);
  await expect(row(page, 'report 9.txt')).toBeVisible();
  await screenshot(page, 'listing');
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'All files' }).click();

  // Delete to the trash, then restore it from there.
  await rowAction(page, 'ideas.txt', 'Delete');
  await page.getByRole('dialog').getByRole('button', { name: 'Move to trash' }).click();
  await expect(row(page, 'ideas.txt')).toHaveCount(0);
  await page.getByRole('link', { name: 'Trash' }).click();
  const trashRow = page.getByTestId('trash-row').filter({ hasText: 'ideas.txt' });
  await expect(trashRow).toBeVisible();
  await screenshot(page, 'trash');
  await trashRow.getByRole('button', { name: 'Restore ideas.txt' }).click();
  await expect(page.getByText('The trash is empty.')).toBeVisible();
  await page.getByRole('link', { name: 'All files' }).click();
  await expect(row(page, 'ideas.txt')).toBeVisible();
  const restored = (await listByApi(request, account, '/')).find((e) => e.name === 'ideas.txt')!;
  expect((await downloadByApi(request, account, restored.file_id)).toString()).toBe('first notes\n');
});

test('version history: restore an old version and download any version', async ({ page, request }) => {
  const account = await registerByApi(request, 'versions');
  const first = await uploadByApi(request, account, '/plan.md', '# Plan\n\nversion one\n');
  await uploadByApi(request, account, '/plan.md', '# Plan\n\nversion two\n');
  await uploadByApi(request, account, '/plan.md', '# Plan\n\nversion three\n');
  await signIn(page, account.email);

  await rowAction(page, 'plan.md', 'Version history');
  const drawer = page.getByRole('dialog', { name: 'Versions of “plan.md”' });
  const versions = drawer.getByTestId('version');
  await expect(versions).toHaveCount(3);
  await expect(versions.first()).toContainText('Current');
  await screenshot(page, 'versions');

  // Download the oldest version: a temporary link for that version, streamed by the browser.
  const downloading = page.waitForEvent('download');
  await versions.nth(2).getByRole('button', { name: /Download/ }).click();
  const file = await downloading;
  expect(file.suggestedFilename()).toBe('plan.md');
  const { readFile } = await import('node:fs/promises');
  expect((await readFile((await file.path())!)).toString()).toBe('# Plan\n\nversion one\n');

  await versions.nth(2).getByRole('button', { name: /Restore/ }).click();
  await expect(versions).toHaveCount(4);
  await expect(versions.first()).toContainText('Current');
  await expect(versions.nth(3)).not.toContainText('Current');
  const entry = (await listByApi(request, account, '/')).find((e) => e.name === 'plan.md')!;
  expect(entry.file_id).toBe(first.file_id);
  expect((await downloadByApi(request, account, entry.file_id)).toString()).toBe('# Plan\n\nversion one\n');
  await page.keyboard.press('Escape');

  // Preview renders the markdown (now version one again).
  await row(page, 'plan.md').getByRole('button', { name: 'plan.md', exact: true }).click();
  const preview = page.getByRole('dialog', { name: 'plan.md' });
  await expect(preview.getByRole('heading', { name: 'Plan' })).toBeVisible();
  await expect(preview).toContainText('version one');
  await screenshot(page, 'preview');
});

test('live: a file another device uploads appears without a reload', async ({ page, request }) => {
  const account = await registerByApi(request, 'live');
  await signIn(page, account.email);
  await expect(page.getByTestId('live-state')).toHaveText('Live');
  await expect(page.getByText('This folder is empty.')).toBeVisible();
  await uploadByApi(request, account, '/from-the-phone.txt', 'hello from another device');
  await expect(row(page, 'from-the-phone.txt')).toBeVisible({ timeout: 10_000 });
  // A change to it (a new version) updates the size shown.
  await uploadByApi(request, account, '/from-the-phone.txt', 'hello from another device, edited on the laptop');
  await expect(row(page, 'from-the-phone.txt')).toContainText('47 B', { timeout: 10_000 });
  // A deletion elsewhere removes it.
  const [entry] = await listByApi(request, account, '/');
  const deleted = await request.post(`/files/${entry.file_id}/delete`, { headers: bearer(account), data: { move_to_trash: true } });
  expect(deleted.ok()).toBeTruthy();
  await expect(row(page, 'from-the-phone.txt')).toHaveCount(0, { timeout: 10_000 });
});

test('search finds a file by name and by its content', async ({ page, request }) => {
  const account = await registerByApi(request, 'search');
  await uploadByApi(request, account, '/Projects/Apollo/QuarterlyReport-2026.txt', 'The launch window opens at dawn.\n');
  await uploadByApi(request, account, '/unrelated.txt', 'nothing to see');
  await signIn(page, account.email);
  const box = page.getByRole('searchbox', { name: 'Search files' });

  // The indexer takes a moment: search again until the match shows.
  await expect(async () => {
    await box.fill('quarterly');
    await box.press('Enter');
    await expect(page.getByTestId('search-result')).toHaveCount(1, { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId('search-result')).toContainText('QuarterlyReport-2026.txt');

  await box.fill('"launch window"');
  await box.press('Enter');
  const result = page.getByTestId('search-result');
  await expect(result).toHaveCount(1);
  await expect(result.locator('mark')).toHaveText(['launch window']);
  await screenshot(page, 'search');
  await result.getByRole('link', { name: 'Show QuarterlyReport-2026.txt in its folder' }).click();
  await expect(page).toHaveURL(/#\/files\/Projects\/Apollo$/);
  await expect(row(page, 'QuarterlyReport-2026.txt')).toBeVisible();
});

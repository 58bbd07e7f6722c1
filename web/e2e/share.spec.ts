import { expect, test } from '@playwright/test';
import { downloadByApi, listByApi, registerByApi, row, rowAction, screenshot, signIn, uploadByApi } from './helpers';

test('share a folder with a second user, who sees it live in another browser; change and revoke', async ({ page, browser, request }) => {
  const owner = await registerByApi(request, 'owner', 'Olivia Owner');
  const friend = await registerByApi(request, 'friend', 'Frank Friend');
  await uploadByApi(request, owner, '/Team/plan.txt', 'the plan\n');
  await signIn(page, owner.email);

  // The friend is signed in elsewhere, looking at their (empty) files.
  const other = await browser.newContext();
  const friendPage = await other.newPage();
  await signIn(friendPage, friend.email);
  await expect(friendPage.getByText('This folder is empty.')).toBeVisible();
  await expect(friendPage.getByTestId('live-state')).toHaveText('Live');

  await rowAction(page, 'Team', 'Share');
  const dialog = page.getByRole('dialog', { name: 'Share “Team”' });
  // An unknown person: the server's detail is shown.
  await dialog.getByRole('textbox', { name: 'Email of the person' }).fill(`nobody-${Date.now()}@e2e.example.com`);
  await dialog.getByRole('button', { name: 'Share', exact: true }).click();
  await expect(dialog.getByRole('alert')).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Email of the person' }).fill(friend.email);
  await dialog.getByRole('combobox', { name: 'Permission', exact: true }).click();
  await page.getByRole('option', { name: 'Can edit' }).click();
  await dialog.getByRole('button', { name: 'Share', exact: true }).click();
  const shareRow = dialog.getByRole('row').filter({ hasText: friend.email });
  await expect(shareRow).toBeVisible();
  await expect(shareRow.getByRole('combobox', { name: `Permission of ${friend.email}` })).toHaveValue('Can edit');
  await screenshot(page, 'share-dialog');

  // Without a reload, the friend's listing gets the shared folder (the share stamp wakes the socket).
  await expect(row(friendPage, 'Team')).toBeVisible({ timeout: 15_000 });
  await friendPage.getByRole('link', { name: 'Shared with me' }).click();
  const sharedRow = friendPage.getByTestId('shared-row').filter({ hasText: 'Team' });
  await expect(sharedRow).toContainText('Can edit');
  await expect(sharedRow).toContainText(owner.email);
  await sharedRow.getByRole('link', { name: 'Team' }).click();
  await expect(row(friendPage, 'plan.txt')).toBeVisible();

  // Read-only from now on: the friend's edit is refused.
  await shareRow.getByRole('combobox', { name: `Permission of ${friend.email}` }).click();
  await page.getByRole('option', { name: 'Can view' }).click();
  await expect(shareRow.getByRole('combobox', { name: `Permission of ${friend.email}` })).toHaveValue('Can view');
  await friendPage.getByRole('button', { name: 'New folder' }).click();
  await friendPage.getByRole('dialog').getByRole('textbox', { name: 'Folder name' }).fill('mine');
  await friendPage.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
  await expect(friendPage.getByRole('dialog').getByRole('alert')).toBeVisible();
  await friendPage.keyboard.press('Escape');

  // The owner's content is what the friend reads.
  const [plan] = await listByApi(request, friend, '/Team');
  expect((await downloadByApi(request, friend, plan.file_id)).toString()).toBe('the plan\n');

  // Revoke: the folder leaves the friend's view, again without a reload.
  await shareRow.getByRole('button', { name: `Stop sharing with ${friend.email}` }).click();
  await expect(shareRow).toHaveCount(0);
  await friendPage.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: 'All files' }).click();
  await expect(row(friendPage, 'Team')).toHaveCount(0, { timeout: 15_000 });
  await other.close();
});

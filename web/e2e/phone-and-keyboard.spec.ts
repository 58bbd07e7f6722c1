import { expect, test } from '@playwright/test';
import { listByApi, registerByApi, row, screenshot, signIn, uploadByApi } from './helpers';

test.describe('on a phone-sized screen', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test('the navigation collapses behind a menu button and the listing stays usable', async ({ page, request }) => {
    const account = await registerByApi(request, 'phone');
    await uploadByApi(request, account, '/Documents/taxes 2026.pdf', '%PDF-1.4 not really a pdf');
    await uploadByApi(request, account, '/shopping list.txt', 'milk\neggs\n');
    await signIn(page, account.email);
    await expect(row(page, 'shopping list.txt')).toBeVisible();
    // Size and date collapse into the name cell; nothing scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'phone-listing');

    const folders = page.getByRole('navigation', { name: 'Folders' });
    await expect(folders).not.toBeInViewport();
    await page.getByRole('button', { name: 'Toggle navigation' }).click();
    await expect(folders).toBeInViewport();
    await expect(folders.getByRole('button', { name: 'Collapse All files' })).toHaveAttribute('aria-expanded', 'true');
    await screenshot(page, 'phone-navigation');
    await folders.getByRole('link', { name: 'Documents' }).click();
    await expect(page).toHaveURL(/#\/files\/Documents$/);
    await expect(folders).not.toBeInViewport();
    await expect(row(page, 'taxes 2026.pdf')).toBeVisible();
  });
});

test('keyboard only: open a folder, rename a file through its actions menu', async ({ page, request }) => {
  const account = await registerByApi(request, 'keys');
  await uploadByApi(request, account, '/Letters/draft.txt', 'Dear reader,\n');
  await signIn(page, account.email);

  await row(page, 'Letters').getByRole('button', { name: 'Letters', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/files\/Letters$/);
  const actions = page.getByRole('button', { name: 'Actions for draft.txt' });
  await actions.focus();
  await expect(actions).toBeFocused();
  await page.keyboard.press('Enter');
  const rename = page.getByRole('menuitem', { name: 'Rename' });
  await expect(rename).toBeVisible();
  // Arrow down through the menu until Rename has focus, then Enter.
  for (let i = 0; i < 10 && !(await rename.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('ArrowDown');
  await expect(rename).toBeFocused();
  await page.keyboard.press('Enter');
  const name = page.getByRole('dialog').getByRole('textbox', { name: 'New name' });
  await expect(name).toBeFocused();
  // The name without its extension is selected: typing replaces it.
  await page.keyboard.type('letter to the reader');
  await page.keyboard.press('Enter');
  await expect(row(page, 'letter to the reader.txt')).toBeVisible();
  expect((await listByApi(request, account, '/Letters')).map((e) => e.name)).toEqual(['letter to the reader.txt']);
  // Focus returns to the page after the dialog closes; Escape closes menus and dialogs.
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

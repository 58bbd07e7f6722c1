import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { registerByApi, rowAction, signIn, uploadByApi } from './helpers';

// Every main screen and dialog, scanned by axe-core for WCAG 2.1 A and AA failures (missing labels and names,
// roles, contrast, landmarks, focusable hidden content), as the page is after it settled.
async function expectNoViolations(page: Page, screen: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`,
  );
  expect(found, `accessibility violations on ${screen}`).toEqual([]);
}

test('the sign-in and account pages have no WCAG 2.1 A/AA violations', async ({ page }) => {
  await page.goto('/#/login');
  await expect(page.getByRole('heading', { name: 'Sign in to syncbox' })).toBeVisible();
  await expectNoViolations(page, 'sign-in');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page.getByRole('button', { name: 'Create account' })).toBeVisible();
  await expectNoViolations(page, 'create an account');
});

test('the main screens and dialogs have no WCAG 2.1 A/AA violations', async ({ page, request }) => {
  const account = await registerByApi(request, 'a11y');
  await uploadByApi(request, account, '/Notes/plan.md', '# Plan\n\nShip the web app.\n');
  await uploadByApi(request, account, '/report.txt', 'quarterly report\n');
  await signIn(page, account.email);
  await expectNoViolations(page, 'all files');

  await rowAction(page, 'report.txt', 'Share');
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectNoViolations(page, 'the share dialog');
  await page.keyboard.press('Escape');

  await rowAction(page, 'report.txt', 'Version history');
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectNoViolations(page, 'version history');
  await page.keyboard.press('Escape');

  for (const [hash, heading] of [
    ['#/shared', 'Shared with me'],
    ['#/trash', 'Trash'],
    ['#/conflicts', 'Conflicts'],
    ['#/devices', 'Devices'],
    ['#/search?q=report', 'Search'],
  ]) {
    await page.goto(`/${hash}`);
    await expect(page.getByRole('heading', { name: new RegExp(heading), level: 2 })).toBeVisible();
    await expectNoViolations(page, hash);
  }

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/#/files/Notes');
  await expect(page.getByRole('heading', { name: 'Notes', level: 2 })).toBeVisible();
  await expectNoViolations(page, 'a folder on a phone-sized screen');
});

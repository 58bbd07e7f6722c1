import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadByApi, listByApi, registerByApi, row, screenshot, signIn, uploadByApi } from './helpers';
import { png } from './png';

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

test('upload a folder with its structure, watching per-file progress', async ({ page, request }) => {
  const account = await registerByApi(request, 'folder');
  const dir = mkdtempSync(join(tmpdir(), 'syncbox-e2e-'));
  const root = join(dir, 'Holiday');
  mkdirSync(join(root, 'day 2'), { recursive: true });
  const big = randomBytes(24 * 1024 * 1024);
  writeFileSync(join(root, 'notes.md'), '# Holiday\n\n- sea\n- sun\n');
  writeFileSync(join(root, 'day 2', 'beach.png'), png(64, 48));
  writeFileSync(join(root, 'day 2', 'video.bin'), big);
  await signIn(page, account.email);

  await page.getByTestId('folder-input').setInputFiles(root);
  const panel = page.getByTestId('upload-panel');
  await expect(panel.getByTestId('upload-item')).toHaveCount(3);
  // The big file shows progress on its way (a percentage between 0 and 100).
  const video = panel.getByTestId('upload-item').filter({ hasText: 'video.bin' });
  await expect(video).toHaveAttribute('data-status', /uploading|queued/);
  await expect(video.getByRole('progressbar')).toBeVisible();
  await screenshot(page, 'upload-progress');
  await expect(panel.getByTestId('upload-item').and(page.locator('[data-status="done"]'))).toHaveCount(3, { timeout: 90_000 });
  await expect(panel).toContainText('Uploads: 3 of 3 done');

  await expect(row(page, 'Holiday')).toBeVisible();
  const holiday = await listByApi(request, account, '/Holiday');
  expect(holiday.map((e) => e.name).sort()).toEqual(['day 2', 'notes.md']);
  const day2 = await listByApi(request, account, '/Holiday/day 2');
  expect(day2.map((e) => e.name).sort()).toEqual(['beach.png', 'video.bin']);
  const stored = await downloadByApi(request, account, day2.find((e) => e.name === 'video.bin')!.file_id);
  expect(sha(stored)).toBe(sha(big));
});

test('drag and drop files onto the listing uploads them into the folder shown', async ({ page, request }) => {
  const account = await registerByApi(request, 'drop');
  await uploadByApi(request, account, '/Inbox/keep.txt', 'already here');
  await signIn(page, account.email);
  await row(page, 'Inbox').getByRole('button', { name: 'Inbox', exact: true }).click();
  await expect(row(page, 'keep.txt')).toBeVisible();

  const dataTransfer = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['first dropped file\n'], 'dropped-1.txt', { type: 'text/plain' }));
    transfer.items.add(new File(['second dropped file\n'], 'dropped-2.txt', { type: 'text/plain' }));
    return transfer;
  });
  const zone = page.getByTestId('drop-zone');
  await zone.dispatchEvent('dragover', { dataTransfer });
  await expect(zone).toHaveAttribute('data-dragging', 'true');
  await zone.dispatchEvent('drop', { dataTransfer });
  await expect(row(page, 'dropped-1.txt')).toBeVisible({ timeout: 30_000 });
  await expect(row(page, 'dropped-2.txt')).toBeVisible();
  const inbox = await listByApi(request, account, '/Inbox');
  const second = inbox.find((e) => e.name === 'dropped-2.txt')!;
  expect((await downloadByApi(request, account, second.file_id)).toString()).toBe('second dropped file\n');
});

test('a large upload cut off by a dropped connection resumes from where it stopped', async ({ page, request }) => {
  // The gateway of the running system goes away in the middle of the upload's PATCH: the connection breaks as in a
  // real network drop, mid-body (a browser's offline mode would only fail the next request).
  const gateway = process.env.SYNCBOX_GATEWAY_SCRIPT;
  expect(gateway, 'SYNCBOX_GATEWAY_SCRIPT names the running system\'s gateway.sh (deploy/local/web-e2e.sh sets it)').toBeTruthy();
  const account = await registerByApi(request, 'resume');
  const dir = mkdtempSync(join(tmpdir(), 'syncbox-e2e-'));
  const content = randomBytes(64 * 1024 * 1024);
  const file = join(dir, 'large.bin');
  writeFileSync(file, content);
  await signIn(page, account.email);

  // Watch the tus exchange: after the drop, tus asks how far the server got (HEAD) and goes on from there.
  const offsets: { method: string; offset: number }[] = [];
  page.on('response', (response) => {
    const request = response.request();
    if (!/\/files\/tus\//.test(request.url())) return;
    const header = request.method() === 'HEAD' ? response.headers()['upload-offset'] : request.headers()['upload-offset'];
    if (header !== undefined) offsets.push({ method: request.method(), offset: Number(header) });
  });
  // Slow enough that the PATCH is surely still sending when the connection breaks.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 8 * 1024 * 1024,
  });

  await page.getByTestId('file-input').setInputFiles(file);
  const item = page.getByTestId('upload-item').filter({ hasText: 'large.bin' });
  await expect(async () => {
    const text = (await item.textContent()) ?? '';
    expect(Number(/\((\d+)%\)/.exec(text)?.[1] ?? 0)).toBeGreaterThanOrEqual(20);
  }).toPass({ timeout: 60_000 });
  try {
    execFileSync('bash', [gateway!, 'stop'], { stdio: 'ignore' });
    await expect(item).toHaveAttribute('data-status', /retrying|error/, { timeout: 30_000 });
    await page.waitForTimeout(1500);
  } finally {
    execFileSync('bash', [gateway!, 'start'], { stdio: 'ignore' });
  }
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  // A failed upload goes on with Resume; a retrying one by itself.
  if ((await item.getAttribute('data-status')) === 'error') await item.getByRole('button', { name: 'Resume large.bin' }).click();
  await expect(item).toHaveAttribute('data-status', 'done', { timeout: 120_000 });

  const head = offsets.find((o) => o.method === 'HEAD');
  expect(head, 'tus asked the server for the stored offset').toBeDefined();
  // The server kept what arrived of the broken PATCH.
  expect(head!.offset).toBeGreaterThan(0);
  expect(head!.offset).toBeLessThan(content.length);
  // Nothing was sent twice from the start: every PATCH after the HEAD starts at or after the stored offset.
  const afterHead = offsets.slice(offsets.indexOf(head!) + 1).filter((o) => o.method === 'PATCH');
  expect(afterHead.length).toBeGreaterThan(0);
  expect(afterHead[0].offset).toBe(head!.offset);

  const [entry] = await listByApi(request, account, '/');
  expect(entry.name).toBe('large.bin');
  expect(entry.size).toBe(content.length);
  expect(sha(await downloadByApi(request, account, entry.file_id))).toBe(sha(content));
});

test('image, text and PDF previews', async ({ page, request }) => {
  const account = await registerByApi(request, 'preview');
  await uploadByApi(request, account, '/Photos/sunset.png', png(640, 400));
  await uploadByApi(request, account, '/Photos/readme.txt', 'plain text, previewed as is\n');
  await signIn(page, account.email);
  await page.goto('/#/files/Photos');
  await row(page, 'sunset.png').getByRole('button', { name: 'sunset.png', exact: true }).click();
  const image = page.getByRole('dialog', { name: 'sunset.png' }).getByRole('img', { name: 'sunset.png' });
  await expect(image).toBeVisible();
  // The full picture, streamed through a temporary link.
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(640);
  await screenshot(page, 'image-preview');
  await page.keyboard.press('Escape');
  await row(page, 'readme.txt').getByRole('button', { name: 'readme.txt', exact: true }).click();
  await expect(page.getByRole('dialog', { name: 'readme.txt' }).getByTestId('text-preview')).toHaveText('plain text, previewed as is\n');
  await page.keyboard.press('Escape');

  // A PDF opens in the browser's own viewer, from the bytes read through the API (a blob: URL, not a link that
  // would carry the token).
  await uploadByApi(request, account, '/Photos/leaflet.pdf', MINIMAL_PDF);
  await expect(row(page, 'leaflet.pdf')).toBeVisible();
  await row(page, 'leaflet.pdf').getByRole('button', { name: 'leaflet.pdf', exact: true }).click();
  const frame = page.getByRole('dialog', { name: 'leaflet.pdf' }).locator('iframe[title="PDF preview of leaflet.pdf"]');
  await expect(frame).toBeVisible();
  await expect(frame).toHaveAttribute('src', /^blob:/);
});

const MINIMAL_PDF = [
  '%PDF-1.4',
  '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
  '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
  '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >> endobj',
  'trailer << /Root 1 0 R >>',
  '%%EOF',
  '',
].join('\n');

test('image thumbnails in the listing come from the server, scaled to fit', async ({ page, request }) => {
  const account = await registerByApi(request, 'thumbs');
  await uploadByApi(request, account, '/Photos/sunset.png', png(640, 400));
  await uploadByApi(request, account, '/Photos/portrait.png', png(100, 300));
  await uploadByApi(request, account, '/Photos/readme.txt', 'no thumbnail for text\n');
  await signIn(page, account.email);
  await page.goto('/#/files/Photos');
  const sunset = row(page, 'sunset.png').getByTestId('thumbnail');
  await expect(sunset).toBeVisible();
  // 640x400 into a 256 box: 256x160.
  expect(await sunset.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([256, 160]);
  // Never upscaled: 100x300 fits into 256 as 85x256.
  const portrait = row(page, 'portrait.png').getByTestId('thumbnail');
  await expect(portrait).toBeVisible();
  expect(await portrait.evaluate((img: HTMLImageElement) => img.naturalHeight)).toBe(256);
  await expect(row(page, 'readme.txt').getByTestId('thumbnail')).toHaveCount(0);
  await screenshot(page, 'thumbnails');
});

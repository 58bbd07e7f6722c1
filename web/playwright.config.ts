import { defineConfig, devices } from '@playwright/test';

// End-to-end tests against a running syncbox (gateway + services) and the built app.
//   SYNCBOX_URL          where the app and the API answer (default: the gateway, http://127.0.0.1:8080)
//   SYNCBOX_WEB_PREVIEW  =1: start `vite preview` on 127.0.0.1:4173 proxying the API to SYNCBOX_GATEWAY
//                        (default http://127.0.0.1:8080) and test that (for a gateway that does not serve
//                        the app); run `npm run build` first
//   CHROMIUM             the Chromium to drive (default /usr/bin/chromium); browsers are never downloaded
//   SYNCBOX_SCREENSHOTS  a directory: the specs save the main screens there as PNG
const preview = process.env.SYNCBOX_WEB_PREVIEW === '1';
const baseURL = process.env.SYNCBOX_URL ?? (preview ? 'http://127.0.0.1:4173' : 'http://127.0.0.1:8080');

export default defineConfig({
  testDir: './e2e',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    ...devices['Desktop Chrome'],
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: preview
    ? {
        command: 'npx vite preview --host 127.0.0.1 --port 4173 --strictPort',
        url: 'http://127.0.0.1:4173/',
        reuseExistingServer: true,
        timeout: 60_000,
      }
    : undefined,
});

import { defineConfig, devices } from '@playwright/test';

// The server is started by scripts/test.sh (`make test`), which sets BASE_URL and E2E_DATABASE_URL.
// Browsers cannot be downloaded here: Playwright drives the system Chromium.
const chromium = {
  executablePath: '/usr/bin/chromium',
  // Flags that keep Chromium from hanging on this closed network.
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
};

// A phone-sized touch device (the product is used on phones).
const phone = {
  browserName: 'chromium' as const,
  userAgent: devices['Pixel 7'].userAgent,
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 3,
  launchOptions: chromium,
};

// Tests tagged @nojs (in the title or via { tag: '@nojs' }) run only without JavaScript;
// all other tests run only in the hydrated `phone` project.
const NOJS = /@nojs/;

export default defineConfig({
  testDir: './tests',
  retries: 0,
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:3000',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'phone', use: { ...phone }, grepInvert: NOJS },
    { name: 'no-js', use: { ...phone, javaScriptEnabled: false }, grep: NOJS },
  ],
});

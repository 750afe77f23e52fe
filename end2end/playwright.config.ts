import { defineConfig } from '@playwright/test';

// Every spec runs twice on a phone-sized screen: with JavaScript off (server-rendered
// forms that post and redirect) and on (hydrated). Debian's Chromium, never a download.
const phone = {
  viewport: { width: 360, height: 740 },
  hasTouch: true,
  isMobile: true,
  // A phone set to Traditional Chinese: Accept-Language zh-TW.
  locale: 'zh-TW',
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  },
};

// Staff work at a desk: their pages, the statistics and the downloads also run at a desktop
// size, with JavaScript on.
const desktop = {
  ...phone,
  viewport: { width: 1280, height: 800 },
  hasTouch: false,
  isMobile: false,
};

// The proxy suite (COUNTERPOINT_E2E_SERVERS=3): the citizen's and the staff's loop in
// Chromium through nginx in front of three servers over one PostgreSQL, and a server killed
// under load. The rate-limit spec is left out: its budget is one server's, and the shared
// budget has its own test (server/tests/servers.rs).
const proxySuite = Number(process.env.COUNTERPOINT_E2E_SERVERS ?? '1') > 1;

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['./summary-reporter.ts']],
  use: {
    baseURL: process.env.BASE_URL,
    trace: 'retain-on-failure',
  },
  projects: proxySuite
    ? [
        {
          name: 'proxy',
          use: { ...phone, javaScriptEnabled: true },
          testMatch: /(rating|complaint|staff|supervision|proxy)\.spec\.ts/,
          grepInvert: /too many ratings/,
        },
      ]
    : [
        { name: 'no-js', use: { ...phone, javaScriptEnabled: false }, testIgnore: /(hydrated|proxy)\.spec\.ts/ },
        { name: 'js', use: { ...phone, javaScriptEnabled: true }, testIgnore: /proxy\.spec\.ts/ },
        { name: 'desktop', use: { ...desktop, javaScriptEnabled: true }, testMatch: /(staff|supervision|admin|stats|downloads)\.spec\.ts/ },
      ],
});

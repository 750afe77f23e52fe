import { test as base, expect, Page } from '@playwright/test';
import type { Browser, BrowserContext, TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Locator } from '@playwright/test';
import { logSince, logSize, problemsIn } from '../server-log';

/** An address of its own for one test or one person in it (10.0.0.0/8, chosen at random:
 *  workers are separate processes and restart after a failure, so counters would collide). */
export function clientAddress(): string {
  const n = randomInt(1, 1 << 24);
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

type Fixtures = {
  /** Opens a path and, with JavaScript on, waits until the page is hydrated. */
  open: (path: string) => Promise<import('@playwright/test').Response | null>;
  /** True in the projects that run with JavaScript. */
  js: boolean;
  /** The project's name (no-js, js, desktop): the projects run at once on one database, so
   *  a test that changes shared settings picks a value of its own project. */
  project: 'no-js' | 'js' | 'desktop' | 'proxy';
  /** Fails on any WCAG 2.x A/AA violation axe finds on the current page (hydrated project). */
  checkA11y: () => Promise<void>;
  /** Fails the test when the server logged a panic or a 5xx answer while it ran. */
  serverLog: void;
};

export const test = base.extend<Fixtures>({
  serverLog: [
    async ({}, use, testInfo) => {
      const logPath = process.env.SERVER_LOG!;
      const from = logSize(logPath);
      await use();
      const expected = testInfo.annotations.some((a) => a.type === 'expected-server-error');
      const problems = problemsIn(logSince(logPath, from));
      // Two workers share the server: a problem is held against each test running then.
      if (!expected) expect(problems, 'the server logged a panic or a 5xx answer').toEqual([]);
    },
    { auto: true },
  ],
  js: async ({ javaScriptEnabled }, use) => {
    await use(javaScriptEnabled !== false);
  },
  project: async ({}, use, testInfo) => {
    await use(testInfo.project.name as 'no-js' | 'js' | 'desktop' | 'proxy');
  },
  page: async ({ page }, use) => {
    // A client address of its own for each test, passed through the trusted proxy header.
    await page.setExtraHTTPHeaders({ 'x-forwarded-for': clientAddress() });
    // Every page runs under the Content-Security-Policy: anything it blocks fails the test.
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    page.on('pageerror', (error) => {
      if (/Content Security Policy|EvalError/i.test(error.message)) blocked.push(error.message);
    });
    await use(page);
    expect(blocked, 'the Content-Security-Policy blocked something the page needs').toEqual([]);
  },
  open: async ({ page, js }, use) => {
    await use(async (path: string) => {
      const response = await page.goto(path);
      if (js) await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
      return response;
    });
  },
  checkA11y: async ({ page, js }, use) => {
    await use(async () => {
      // axe runs as a script in the page, which the no-JavaScript project forbids. Both
      // projects get the same server-rendered markup, so the hydrated project checks it.
      if (!js) return;
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`)).toEqual([]);
    });
  },
});

export { expect };

/** A ticket number no other test or run uses. */
export function uniqueTicket(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`.toUpperCase().slice(0, 32);
}

export async function chooseLevel(page: Page, name: string) {
  await page.getByRole('radio', { name, exact: true }).check();
}

/** A browser of one's own (one person, one phone, one client address). */
export async function personOf(browser: Browser, testInfo: TestInfo): Promise<{ context: BrowserContext; page: Page }> {
  const use = testInfo.project.use;
  const context = await browser.newContext({
    baseURL: use.baseURL,
    viewport: use.viewport,
    hasTouch: use.hasTouch,
    isMobile: use.isMobile,
    locale: use.locale,
    javaScriptEnabled: use.javaScriptEnabled,
    extraHTTPHeaders: { 'x-forwarded-for': clientAddress() },
  });
  return { context, page: await context.newPage() };
}

/** Signs a demo account in; they land on their inbox. */
export async function signIn(page: Page, username: string) {
  await page.goto('/staff/login');
  await page.getByLabel('用戶名').fill(username);
  await page.getByLabel('密碼').fill('counterpoint-demo');
  await page.getByRole('button', { name: '登入' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '案件' })).toBeVisible();
}

/** Clicks a download link as a person does and returns the file's name and text; fails
 *  when the download breaks off. */
export async function download(page: Page, link: Locator): Promise<{ name: string; text: string }> {
  const started = page.waitForEvent('download');
  await link.click();
  const file = await started;
  expect(await file.failure(), 'the download completes').toBeNull();
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

/** The lines of a CSV file with no quoted fields (the open data and reports have none). */
export function csvRows(text: string): string[][] {
  return text.split(/\r?\n/).filter((line) => line !== '').map((line) => line.split(','));
}

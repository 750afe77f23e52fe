// Only in the hydrated project (see playwright.config.ts): without JavaScript the browser
// itself navigates away on submit, so there is no in-page progress to show.
import { test, expect, chooseLevel } from './fixtures';

test('while sending, the button shows progress and cannot send twice', async ({ page, open }) => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let posts = 0;
  await page.route('**/api/rate', async (route) => {
    posts++;
    await gate;
    await route.continue();
  });
  await open('/c/A09');
  await chooseLevel(page, '非常滿意');
  const button = page.getByRole('button', { name: '提交評價' });
  await button.click();
  const busy = page.getByRole('button', { name: '正在提交…' });
  await expect(busy).toHaveAttribute('aria-disabled', 'true');
  await expect(busy).toBeFocused();
  await busy.click({ force: true });
  await page.keyboard.press('Enter');
  release();
  await expect(page.getByRole('heading', { name: '感謝您的評價' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '感謝您的評價' })).toBeFocused();
  expect(posts).toBe(1);
});


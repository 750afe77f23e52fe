import { test, expect, chooseLevel, personOf, signIn } from './fixtures';

test('a browser rating one counter again and again is held, and the bureau releases it with a reason', async ({
  page,
  browser,
  project,
  checkA11y,
}, testInfo) => {
  // The projects run at once on one database: each floods a counter of its own.
  const counter = project === 'js' ? 'A06' : 'A05';
  const citizen = await personOf(browser, testInfo);
  for (let i = 0; i < 3; i++) {
    await citizen.page.goto(`/c/${counter}`);
    if (project === 'js') await citizen.page.locator('body[data-hydrated="true"]').waitFor();
    await chooseLevel(citizen.page, '非常滿意');
    await citizen.page.getByRole('button', { name: '提交評價' }).click();
    // Held or not, every rating is thanked the same: nobody is turned away.
    await expect(citizen.page.getByRole('heading', { level: 1, name: '感謝您的評價' })).toBeVisible();
  }
  await citizen.context.close();

  await signIn(page, 'supervisor');
  await page.getByRole('link', { name: '暫扣評價' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '暫扣評價' })).toBeVisible();
  const line = page.getByRole('row').filter({ hasText: counter }).filter({ hasText: '同一瀏覽器評價過多' });
  await expect(line).toHaveCount(1);
  await expect(line.getByRole('cell').nth(3)).toHaveText('1');
  await checkA11y();

  // A reason is required; then the line is released and leaves the queue.
  await line.getByRole('radio', { name: '放行：計入統計' }).check();
  await line.getByRole('textbox', { name: /^理由/ }).fill('同一家人用一部手機替三位長者評價');
  await line.getByRole('button', { name: '決定' }).click();
  await expect(page.getByRole('status')).toContainText('已決定 1 條評價');
  await expect(page.getByRole('row').filter({ hasText: counter }).filter({ hasText: '同一瀏覽器評價過多' })).toHaveCount(0);
  await checkA11y();
});

test('only the supervision bureau sees the queue', async ({ page }) => {
  await signIn(page, 'head.hrss');
  await expect(page.getByRole('link', { name: '暫扣評價' })).toHaveCount(0);
  const answer = await page.goto('/staff/holds');
  expect(answer?.status()).toBe(403);
});

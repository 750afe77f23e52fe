import { test, expect } from './fixtures';

test('the statistics filters change the address, and every chart has a table', async ({ page, open, checkA11y }) => {
  await open('/stats');
  await expect(page.getByRole('heading', { level: 1, name: '滿意度統計' })).toBeVisible();
  await expect(page.getByRole('table', { name: '各等級評價' })).toBeVisible();
  await checkA11y();

  await page.getByLabel('期間', { exact: true }).selectOption({ label: '年' });
  await page.getByLabel('期間內的任一天').fill('2026-03-02');
  await page.getByLabel('範圍').selectOption({ label: '1號窗口 社保參保登記 (A01)' });
  await page.getByRole('button', { name: '顯示統計' }).click();

  await expect(page).toHaveURL(/period=year/);
  await expect(page).toHaveURL(/unit=counter%3AA01/);
  await expect(page.getByRole('heading', { level: 2, name: /1號窗口 社保參保登記 · 2026-01-01 至 2026-12-31/ })).toBeVisible();
  // A counter has a heatmap, and its numbers are in a table for screen readers.
  await expect(page.getByRole('heading', { name: '各星期、各時段的評價數' })).toBeVisible();
  await expect(page.getByRole('table', { name: '各星期、各時段的評價數' }).getByRole('rowheader', { name: '星期一' })).toBeVisible();
  await expect(page.getByRole('link', { name: '下載 CSV' })).toHaveAttribute('href', '/stats/export.csv?period=year&at=2026-01-01&level=counter&unit=A01');
  await checkA11y();

  // The address can be shared: opening it again shows the same view.
  await open('/stats?period=year&at=2026-01-01&level=counter&unit=A01');
  await expect(page.getByLabel('範圍')).toHaveValue('counter:A01');
  await expect(page.getByLabel('期間', { exact: true })).toHaveValue('year');
});

test('a custom range ending before it starts is refused beside its field', async ({ page, open }) => {
  const response = await open('/stats?period=custom&from=2026-03-10&to=2026-03-01');
  expect(response?.status()).toBe(400);
  const summary = page.getByRole('alert');
  await expect(summary.getByRole('link', { name: '結束日期不能早於開始日期。' })).toBeVisible();
  await expect(page.getByLabel('自訂期間：開始日期')).toHaveValue('2026-03-10');
});

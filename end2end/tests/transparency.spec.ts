import { test, expect } from './fixtures';

test('the public record says what it holds, shows the chain now, and checks a day', async ({ page, open, js, checkA11y }) => {
  await open('/');
  await page.getByRole('link', { name: '公開紀錄' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: '公開紀錄' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: '如何保護' })).toBeVisible();
  // The chain now: how many entries, and the newest hash (64 hexadecimal digits).
  await expect(page.getByRole('heading', { level: 2, name: '目前的紀錄' })).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: /^[0-9a-f]{64}$/ })).toHaveCount(1);
  await expect(page.getByRole('link', { name: '全部摘要（JSON）' })).toHaveAttribute('href', '/transparency/digests.json');
  await checkA11y();

  // Today's entries so far, checked: in the page itself with JavaScript (no navigation),
  // by the server without.
  await open('/transparency');
  const todayRow = page.getByRole('row').filter({ hasText: '至今' });
  const today = ((await todayRow.getByRole('rowheader').textContent()) ?? '').slice(0, 10);
  expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await todayRow.getByRole('button', { name: `核對 ${today}` }).click();
  await expect(page.getByRole('status')).toContainText(`${today} 至今的全部`);
  await expect(page.getByRole('status')).toContainText('前後相接');
  if (js) await expect(page).toHaveURL(/\/transparency$/);
  else await expect(page).toHaveURL(new RegExp(`/transparency\\?check=${today}$`));
  await checkA11y();

  // A past day with no published digest, and a day that is not one, are said so.
  await open('/transparency?check=2000-01-01');
  await expect(page.getByRole('status')).toContainText('2000-01-01 沒有已公布的摘要');
  await open('/transparency?check=2000-02-30');
  await expect(page.getByRole('status')).toContainText('請以「年-月-日」寫日期');
});

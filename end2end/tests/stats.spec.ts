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

// Chart labels are read by people who see the chart: each whole, clear of its bar, inside
// the chart, in every language, at the size this project runs (phone, or desktop).
for (const [tag, heading] of [['zh-Hant', '各類投訴'], ['zh-Hans', '各类投诉'], ['en', 'Complaints by category']] as const) {
  test(`every chart label is readable in full (${tag})`, async ({ page, open }) => {
    await open(`/lang/${tag}?next=${encodeURIComponent('/stats?period=year')}`);
    await expect(page.getByRole('heading', { level: 2, name: heading })).toBeVisible();
    const width = page.viewportSize()!.width;
    const lists = await page.locator('ul.bars').all();
    // The levels and the complaint categories.
    expect(lists.length).toBe(2);
    let labels = 0;
    for (const list of lists) {
      const chart = (await list.boundingBox())!;
      for (const row of await list.locator('li.bar-row').all()) {
        const label = row.locator('.bar-label');
        const box = (await label.boundingBox())!;
        const bar = (await row.locator('.bar-track').boundingBox())!;
        const text = await label.textContent();
        expect(box.x >= chart.x - 0.5 && box.x + box.width <= chart.x + chart.width + 0.5, `${text} inside its chart`).toBe(true);
        expect(box.x + box.width <= width, `${text} on the screen`).toBe(true);
        const overlaps = box.x < bar.x + bar.width && bar.x < box.x + box.width && box.y < bar.y + bar.height && bar.y < box.y + box.height;
        expect(overlaps, `${text} clear of its bar`).toBe(false);
        // Not cut: the text fits the box it wraps in.
        expect(await label.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1), `${text} whole`).toBe(true);
        labels++;
      }
    }
    expect(labels).toBeGreaterThanOrEqual(5 + 3);
    // The SVG charts' labels (units' codes, weekdays) stay inside their chart.
    for (const svg of await page.locator('svg.chart').all()) {
      const chart = (await svg.boundingBox())!;
      for (const text of await svg.locator('text').all()) {
        const box = (await text.boundingBox())!;
        expect(box.x >= chart.x - 0.5 && box.x + box.width <= chart.x + chart.width + 0.5, `${await text.textContent()} inside its chart`).toBe(true);
      }
    }
  });
}

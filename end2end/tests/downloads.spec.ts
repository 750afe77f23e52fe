import { test, expect, download, csvRows, signIn } from './fixtures';

// Downloads as a person gets them: a click on the link in Chromium, which asks for
// compressed answers (gzip, deflate, br, zstd), then the file read whole.

const COLUMNS = 'date,hall,department,counter,ratings,level_1,level_2,level_3,level_4,level_5,excluded_by_appeal,held_for_review';

test('the open data downloads whole as CSV and as JSON', async ({ page, open }) => {
  await open('/stats');
  const csv = await download(page, page.getByRole('link', { name: '下載 CSV' }));
  expect(csv.name).toMatch(/^counterpoint-ratings-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const [licence, header, ...rows] = csvRows(csv.text);
  expect(licence.join(',')).toMatch(/^# Licence: /);
  expect(header.join(',')).toBe(COLUMNS);
  // Two months of made-up ratings: this month's days so far, one row per day and counter.
  for (const row of rows) {
    expect(row).toHaveLength(12);
    expect(row[0]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // By level only from 10 ratings: fewer would say how the one or two people served rated.
    if (row.slice(5, 10).every((cell) => cell === '')) {
      expect(Number(row[4])).toBeLessThan(10);
    } else {
      const levels = row.slice(5, 10).map(Number);
      expect(levels.reduce((a, b) => a + b, 0)).toBe(Number(row[4]));
      expect(Number(row[4])).toBeGreaterThanOrEqual(10);
    }
  }

  // A year, so that the download is many pieces long.
  await open('/stats?period=year');
  const json = await download(page, page.getByRole('link', { name: '下載 JSON' }));
  expect(json.name).toMatch(/\.json$/);
  const data = JSON.parse(json.text);
  expect(data.columns.join(',')).toBe(COLUMNS);
  expect(Array.isArray(data.rows)).toBe(true);
  expect(data.rows.length).toBeGreaterThan(100);
  expect(data.rows.every((r: { date: string; ratings: number }) => /^\d{4}-\d{2}-\d{2}$/.test(r.date) && r.ratings > 0)).toBe(true);

  // The same year as CSV holds the same rows.
  const yearCsv = await download(page, page.getByRole('link', { name: '下載 CSV' }));
  expect(csvRows(yearCsv.text).length - 2).toBe(data.rows.length);
});

test('the bureau downloads every department report whole', async ({ page, open }) => {
  await signIn(page, 'supervisor');
  await open('/staff/departments/0');
  const options = await page.getByLabel('部門', { exact: true }).locator('option').all();
  const departments = await Promise.all(options.map((o) => o.getAttribute('value')));
  expect(departments.length).toBeGreaterThanOrEqual(8);
  for (const id of departments) {
    await open(`/staff/departments/0?department=${id}`);
    const report = await download(page, page.getByRole('link', { name: '匯出 CSV' }));
    expect(report.name).toMatch(new RegExp(`^department-${id}-\\d{4}-\\d{2}-\\d{2}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const [header, summary, findings] = csvRows(report.text.replace(/^\uFEFF/, ''));
    expect(header.join(',')).toBe('department,from,to,open,overdue,escalated');
    expect(summary).toHaveLength(6);
    expect(summary.slice(3).every((n) => /^\d+$/.test(n))).toBe(true);
    expect(findings.join(',')).toBe('case,recorded_at,finding,measure,against_department,against_staff,reason,recorded_by');
  }
});

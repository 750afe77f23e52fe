import { test, expect, personOf, signIn } from './fixtures';

test('an administrator loads the working-day calendar: a bad file is refused with its lines, a good one listed', async ({ page, open, project, checkA11y }) => {
  // Each project loads a year of its own: they run at once on one database.
  const year = { js: 2031, 'no-js': 2032, desktop: 2033, proxy: 2034 }[project];
  await signIn(page, 'admin');
  await page.getByRole('link', { name: '工作日曆' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '工作日曆' })).toBeVisible();
  await open('/staff/calendar');
  await checkA11y();

  const file = page.getByLabel('日曆檔案（CSV 或 iCalendar）');
  await file.setInputFiles({
    name: `${year}.csv`,
    mimeType: 'text/csv',
    buffer: Buffer.from(`date,kind,name\n${year}-01-01,holiday,元旦\n${year}-02-30,holiday,沒有這天\n`),
  });
  await page.getByRole('button', { name: '載入日曆' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('檔案未載入');
  await expect(summary).toContainText('第 3 行：');
  await expect(page.getByRole('cell', { name: `${year}-01-01` })).toHaveCount(0);
  await checkA11y();

  await page.getByLabel('日曆檔案（CSV 或 iCalendar）').setInputFiles({
    name: `${year}.ics`,
    mimeType: 'text/calendar',
    buffer: Buffer.from(`BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:${year}0101\r\nSUMMARY:元旦\r\nCATEGORIES:HOLIDAY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`),
  });
  await page.getByRole('button', { name: '載入日曆' }).click();
  await expect(page.getByRole('status')).toContainText('已載入 1 天。');
  await expect(page.getByRole('row', { name: new RegExp(`${year}-01-01`) })).toContainText('假期');
});

test('staff ask the citizen for more information and the citizen answers on the tracking page', async ({ page, open, browser, checkA11y }, testInfo) => {
  test.setTimeout(60_000);
  const story = `沒有人告訴我缺少哪份文件 ${testInfo.project.name} ${Date.now()}`;
  await open('/complain?counter=A01');
  await page.getByRole('radio', { name: '事難辦' }).check();
  await page.getByLabel('發生日期').fill('2026-03-02');
  await page.getByLabel('發生了什麼').fill(story);
  await page.getByRole('radio', { name: '留下姓名和聯絡方式' }).check();
  await page.getByLabel('姓名', { exact: true }).fill('陳先生');
  await page.getByLabel('電子郵件').fill('chan@example.org');
  await page.getByRole('button', { name: '繼續' }).click();
  await page.getByRole('button', { name: '送出投訴' }).click();
  await expect(page.getByRole('heading', { name: '投訴已送出' })).toBeVisible();
  const trackingPath = await page.getByRole('link', { name: /^\/track\// }).getAttribute('href');
  const number = (await page.getByRole('heading', { level: 2, name: /投訴編號/ }).textContent())!.replace(/\D/g, '');

  const clerk = await personOf(browser, testInfo);
  await signIn(clerk.page, 'staff.a01');
  await clerk.page.goto(`/staff/cases/${number}`);
  await clerk.page.getByRole('button', { name: '受理（成為首問責任人）', exact: true }).click();
  await expect(clerk.page.getByRole('status')).toContainText('已完成');
  await clerk.page.getByLabel('問題', { exact: true }).fill('請問您辦理的是哪一項業務？');
  await clerk.page.getByRole('button', { name: '請市民補充資料', exact: true }).click();
  await expect(clerk.page.getByRole('status')).toContainText('已完成');
  await expect(clerk.page.getByText('期限暫停（等待市民）')).toBeVisible();

  await open(trackingPath!);
  await expect(page.getByText('等待您補充資料')).toBeVisible();
  await expect(page.getByText('請問您辦理的是哪一項業務？')).toBeVisible();
  await checkA11y();
  await page.getByRole('button', { name: '送出補充資料' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await page.getByRole('textbox', { name: '補充資料' }).fill('申領社保卡。');
  await page.getByRole('button', { name: '送出補充資料' }).click();
  await expect(page.getByRole('status')).toContainText('已收到您補充的資料');
  await expect(page.getByText('等待您補充資料')).toHaveCount(0);

  // The citizen stops the mails about it.
  await page.getByRole('button', { name: '停止有關此投訴的郵件' }).click();
  await expect(page.getByRole('status')).toContainText('已停止寄送');
  await expect(page.getByRole('button', { name: '停止有關此投訴的郵件' })).toHaveCount(0);
  await clerk.context.close();
});

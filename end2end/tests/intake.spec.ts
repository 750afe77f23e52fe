import { test, expect, signIn, personOf } from './fixtures';

test('a department head enters a complaint a citizen telephoned in and reads them its tracking address', async ({ page, open, project, checkA11y, browser }, testInfo) => {
  const story = `電話投訴：窗口要求清單以外的證明 ${project} ${Date.now()}`;
  await signIn(page, 'head.hrss');
  await page.getByRole('navigation', { name: '工作台' }).getByRole('link', { name: '登記投訴' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '登記經電話、信件、電郵或現場收到的投訴' })).toBeVisible();
  await checkA11y();

  // Sent without saying how or when: both named, nothing stored, what was typed kept.
  await page.getByLabel('發生了什麼').fill(story);
  await page.getByRole('button', { name: '保存投訴' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '登記經電話、信件、電郵或現場收到的投訴' })).toBeVisible();
  const problems = page.getByRole('alert');
  await expect(problems.getByRole('link', { name: '請選擇一項' })).toHaveAttribute('href', '#medium-telephone');
  await expect(problems.getByRole('link', { name: '請選擇投訴類別' })).toBeVisible();
  await expect(page.getByLabel('發生了什麼')).toHaveValue(story);
  await checkA11y();

  await page.getByRole('radio', { name: '電話' }).check();
  await page.getByLabel('收到日期').fill(new Date().toISOString().slice(0, 10));
  await expect(page.getByLabel('收到日期')).toHaveAccessibleDescription(/時限由這一天起計/);
  await page.getByRole('radio', { name: '亂設門檻' }).check();
  await page.getByLabel('窗口').selectOption({ value: 'A01' });
  await page.getByLabel('發生日期').fill('2026-03-02');
  await page.getByRole('radio', { name: '留下姓名和聯絡方式' }).check();
  await page.getByLabel('市民姓名').fill('王先生');
  await page.getByLabel('電話（選填）').fill('13900139000');
  await page.getByRole('button', { name: '保存投訴' }).click();

  const saved = page.getByRole('status');
  await expect(saved.getByRole('heading', { name: /已保存投訴 #\d+/ })).toBeVisible();
  const address = (await saved.locator('code').textContent()) ?? '';
  expect(address).toMatch(/\/track\/[A-Za-z0-9_-]+$/);
  await checkA11y();

  // The case says how it came; the citizen's address opens their tracking page.
  await saved.getByRole('link', { name: '打開案件' }).click();
  await expect(page.getByText(story)).toBeVisible();
  await expect(page.getByText(/電話 – 收到日期/)).toBeVisible();

  // The citizen said on the telephone which clerk it was: the head keeps them away.
  const caseUrl = page.url();
  const keepAway = page.getByRole('form', { name: '讓同事迴避此案' });
  await keepAway.getByLabel('需要迴避的同事').selectOption({ label: '王小明' });
  await keepAway.getByRole('button', { name: '讓同事迴避此案' }).click();
  await expect(page.getByRole('definition').filter({ hasText: '王小明 (由部門負責人或效能辦指定迴避)' })).toBeVisible();
  await expect(page.getByRole('form', { name: '讓同事迴避此案' }).getByRole('option', { name: '王小明' })).toHaveCount(0);
  await checkA11y();
  // The clerk no longer finds it.
  const clerk = await personOf(browser, testInfo);
  await signIn(clerk.page, 'staff.a01');
  const seen = await clerk.page.goto(caseUrl);
  expect(seen!.status()).toBe(404);
  await open(new URL(address).pathname);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});

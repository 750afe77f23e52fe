import { test, expect, uniqueTicket, chooseLevel } from './fixtures';

test('a citizen rates a counter from its QR code and is thanked', async ({ page, open, js, checkA11y }) => {
  await open('/c/A01');
  await expect(page).toHaveTitle(/評價本窗口的服務/);
  await expect(page.getByText('1號窗口 社保參保登記')).toBeVisible();
  await expect(page.getByText('人力資源和社會保障局')).toBeVisible();
  await checkA11y();

  // Marks this document: it survives only if the page is not reloaded.
  if (js) await page.evaluate(() => ((window as any).__samePage = true));
  await chooseLevel(page, '滿意');
  await page.getByRole('checkbox', { name: '辦理速度' }).check();
  await page.getByLabel('意見（選填）').fill('很快，謝謝');
  await page.getByLabel('排隊票號或收據編號（選填）').fill(uniqueTicket('A'));
  await page.getByRole('button', { name: '提交評價' }).click();

  await expect(page.getByRole('heading', { level: 1, name: '感謝您的評價' })).toBeVisible();
  await expect(page).toHaveURL(/\/c\/A01\/thanks$/);
  await expect(page.getByRole('link', { name: '遇到問題？投訴這個窗口' })).toHaveAttribute('href', '/complain?counter=A01');
  if (js) expect(await page.evaluate(() => (window as any).__samePage)).toBe(true);
  await checkA11y();
});

test('the same ticket number twice at one hall is refused, keeping what was typed', async ({ page, open, js }) => {
  const ticket = uniqueTicket('T');
  await open('/c/A05');
  await chooseLevel(page, '非常滿意');
  await page.getByLabel('排隊票號或收據編號（選填）').fill(ticket);
  await page.getByRole('button', { name: '提交評價' }).click();
  await expect(page.getByRole('heading', { name: '感謝您的評價' })).toBeVisible();

  await open('/c/A06');
  await chooseLevel(page, '不滿意');
  await page.getByLabel('意見（選填）').fill('第二次');
  await page.getByLabel('排隊票號或收據編號（選填）').fill(ticket.toLowerCase());
  await page.getByRole('button', { name: '提交評價' }).click();

  const summary = page.getByRole('alert').filter({ hasText: '有問題需要處理' });
  await expect(summary).toBeVisible();
  await expect(summary.getByRole('link', { name: '這個票號今天已在本大廳評價過。每張票只能評價一次。' })).toBeVisible();
  await expect(page).toHaveTitle(/^錯誤：/);
  await expect(page.getByLabel('意見（選填）')).toHaveValue('第二次');
  await expect(page.getByRole('radio', { name: '不滿意', exact: true })).toBeChecked();
  await expect(page.getByLabel('排隊票號或收據編號（選填）')).toHaveAttribute('aria-invalid', 'true');
  if (js) await expect(summary).toBeFocused();
});

test('sending the form without a level says what is missing', async ({ page, open }) => {
  await open('/c/A02');
  await page.getByRole('button', { name: '提交評價' }).click();
  const summary = page.getByRole('alert');
  await expect(summary.getByRole('link', { name: '請選擇您對本次服務的滿意程度' })).toBeVisible();
  await summary.getByRole('link', { name: '請選擇您對本次服務的滿意程度' }).click();
  await expect(page).toHaveURL(/#level-5$/);
});

test('an unknown counter shows a friendly not-found page', async ({ page, open }) => {
  const response = await open('/c/NO-SUCH-1');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: '找不到這個窗口' })).toBeVisible();
  await expect(page.getByRole('link', { name: '返回首頁' })).toBeVisible();
});

test('switching the language changes the page and sticks', async ({ page, open, checkA11y }) => {
  await open('/c/A03');
  await page.getByRole('navigation', { name: '語言' }).getByRole('link', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: "Rate this counter's service" })).toBeVisible();
  await expect(page).toHaveURL(/\/c\/A03$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await checkA11y();

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Rate a government service counter' })).toBeVisible();
  await page.getByRole('link', { name: /Counter 6: Starting a business/ }).click();
  await expect(page.getByRole('radio', { name: 'Very satisfied', exact: true })).toBeVisible();

  await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: '简体中文' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '评价本窗口的服务' })).toBeVisible();
});

test('too many ratings in a short time get the rate-limit page', async ({ page, open, js }) => {
  // The test server allows a burst of 5 posts per client.
  for (let i = 0; i < 5; i++) {
    await open('/c/A07');
    await chooseLevel(page, '基本滿意');
    await page.getByRole('button', { name: '提交評價' }).click();
    await expect(page.getByRole('heading', { name: '感謝您的評價' })).toBeVisible();
  }
  await open('/c/A07');
  await chooseLevel(page, '基本滿意');
  if (js) {
    await page.getByRole('button', { name: '提交評價' }).click();
    await expect(page.getByRole('alert')).toContainText('您在短時間內提交次數過多');
  } else {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: '提交評價' }).click(),
    ]);
    expect(response.status()).toBe(429);
    await expect(page.getByRole('heading', { level: 1, name: '提交次數過多' })).toBeVisible();
    await expect(page.getByText('您在短時間內提交次數過多')).toBeVisible();
  }
});

test('the form can be filled and sent with the keyboard alone', async ({ page, open }) => {
  await open('/c/A08');
  await page.getByRole('radio', { name: '非常滿意', exact: true }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: '滿意', exact: true })).toBeChecked();
  await page.getByLabel('意見（選填）').focus();
  await page.keyboard.type('好');
  await page.getByRole('button', { name: '提交評價' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: '感謝您的評價' })).toBeVisible();
});

test('the home page leads to every counter, complaints and statistics', async ({ page, open, checkA11y }) => {
  await open('/');
  await expect(page.getByRole('heading', { level: 1, name: '為政務服務窗口評價' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '清河縣不動產登記大廳' })).toBeVisible();
  await checkA11y();
  await page.getByRole('link', { name: '查看滿意度統計' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '滿意度統計' })).toBeVisible();
  await expect(page.getByRole('table').first()).toBeVisible();
  await checkA11y();
  await page.goto('/');
  await page.getByRole('link', { name: /評價.*4號窗口 婚姻登記/ }).click();
  await expect(page).toHaveURL(/\/c\/A04$/);
});

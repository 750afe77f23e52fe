import { createHmac } from 'node:crypto';
import { test, expect, signIn } from './fixtures';

test('an administrator adds a counter, prints its hall\'s QR sheet, and retires it, sending people elsewhere', async ({ page, open, project, checkA11y }) => {
  // Each project adds a counter of its own: they run at once on one database.
  const code = `E2E${project[0].toUpperCase()}${Date.now() % 100000}`;
  await signIn(page, 'admin');
  await page.getByRole('link', { name: '系統管理' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '系統管理' })).toBeVisible();
  await open('/staff/admin');
  await checkA11y();

  const add = page.getByRole('form', { name: '新增窗口' });
  await add.getByLabel('窗口代碼').fill(code);
  await add.getByLabel('大廳', { exact: true }).selectOption({ value: 'H1' });
  await add.getByLabel('部門', { exact: true }).selectOption({ value: 'HRSS' });
  await add.getByLabel('名稱（繁體中文）').fill(`${code} 號窗口 測試`);
  await add.getByLabel('名稱（简体中文）').fill(`${code} 号窗口 测试`);
  await add.getByLabel('名稱（英文）').fill(`Counter ${code}: test`);
  await add.getByRole('button', { name: '新增窗口' }).click();
  await expect(page.getByRole('status')).toHaveText('已新增窗口。');
  const counters = page.getByRole('region', { name: '窗口', exact: true });
  await expect(counters.getByRole('row', { name: new RegExp(code) })).toContainText('使用中');
  await expect(page.getByRole('region', { name: '變更紀錄' }).getByRole('row', { name: new RegExp(code) })).toContainText('新增窗口');

  await page.getByRole('link', { name: /列印 清河縣政務服務中心 一樓綜合大廳 的 QR 碼/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /QR 碼：清河縣政務服務中心 一樓綜合大廳/ })).toBeVisible();
  await expect(page.getByRole('img', { name: new RegExp(`QR: .*/c/${code}$`) })).toBeVisible();
  await expect(page.getByRole('img', { name: /QR: .*\/c\/A01$/ })).toBeVisible();
  await checkA11y();

  await open('/staff/admin');
  await page.getByText(`變更窗口 ${code}`).click();
  await page.getByLabel('停用後請民眾改到').and(page.locator(`#replaced-by-${code}`)).selectOption({ value: 'A01' });
  await page.locator(`form[action="/staff/admin/counters/${code}/retire"]`).getByRole('button', { name: '停用窗口' }).click();
  await expect(page.getByRole('status')).toHaveText('已停用窗口。');

  const response = await open(`/c/${code}`);
  expect(response?.status()).toBe(410);
  await expect(page.getByRole('heading', { level: 1, name: '這個窗口已停用' })).toBeVisible();
  await expect(page.getByText('請改到 1號窗口 社保參保登記（A01）。')).toBeVisible();
  await expect(page.getByRole('link', { name: '評價這個窗口' })).toHaveAttribute('href', '/c/A01');
});

test('an administrator opens an account for a new clerk, who chooses their own password and a second factor, then signs in with it', async ({ page, open, project, checkA11y }) => {
  const username = `clerk.${project[0]}${Date.now() % 100000}`;
  await signIn(page, 'admin');
  await open('/staff/admin');
  await page.getByRole('link', { name: '工作人員帳號' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '工作人員帳號' })).toBeVisible();
  await checkA11y();

  const add = page.getByRole('form', { name: '新增帳號' });
  await add.getByLabel('用戶名').fill(username);
  await add.getByLabel('姓名（投訴中可能寫到的名字）').fill('鄭小芳');
  await add.getByLabel('角色').selectOption({ label: '窗口工作人員' });
  await add.getByLabel('部門').selectOption({ value: 'CIVIL' });
  // A password from the most common list is refused.
  await add.getByLabel('密碼').fill('password1234');
  await add.getByRole('button', { name: '新增帳號' }).click();
  await expect(page.getByText(/最常用的密碼/)).toBeVisible();
  await open('/staff/admin/staff');
  await add.getByLabel('用戶名').fill(username);
  await add.getByLabel('姓名（投訴中可能寫到的名字）').fill('鄭小芳');
  await add.getByLabel('角色').selectOption({ label: '窗口工作人員' });
  await add.getByLabel('部門').selectOption({ value: 'CIVIL' });
  await add.getByLabel('密碼').fill('a-long-temporary-1');
  await add.getByRole('button', { name: '新增帳號' }).click();
  await expect(page.getByRole('status')).toHaveText('已新增帳號。');
  await expect(page.getByRole('row', { name: new RegExp(username) })).toContainText('使用中');
  await open('/staff');
  await page.getByRole('button', { name: '登出' }).click();

  // The clerk signs in with the password the administrator set, and must replace it first.
  await page.goto('/staff/login');
  await page.getByLabel('用戶名').fill(username);
  await page.getByLabel('密碼').fill('a-long-temporary-1');
  await page.getByRole('button', { name: '登入' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '更改密碼' })).toBeVisible();
  await expect(page.getByText('您的密碼由管理員設定')).toBeVisible();
  await checkA11y();
  await page.getByLabel('目前密碼').fill('a-long-temporary-1');
  await page.getByLabel('新密碼', { exact: true }).fill('Tide-Lantern-47-Oak');
  await page.getByLabel('再次輸入新密碼').fill('Tide-Lantern-47-Oak');
  await page.getByRole('button', { name: '更改密碼' }).click();
  await expect(page.getByRole('status')).toContainText('您的密碼已更改');
  await page.getByRole('link', { name: '工作台' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '案件' })).toBeVisible();
  await expect(page.getByText('鄭小芳')).toBeVisible();

  // A second factor: the key from the page into an "authenticator" (RFC 6238 here).
  await page.getByRole('link', { name: '第二重驗證' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '第二重驗證' })).toBeVisible();
  await checkA11y();
  await page.getByLabel('目前密碼').fill('Tide-Lantern-47-Oak');
  await page.getByRole('button', { name: '設定第二重驗證' }).click();
  await expect(page.getByRole('img', { name: '金鑰' })).toBeVisible();
  const key = (await page.locator('code.secret-key').textContent())!;
  await page.getByLabel('驗證碼').fill(totp(key));
  await page.getByRole('button', { name: '確認' }).click();
  await expect(page.getByRole('heading', { level: 2, name: '您的備用碼' })).toBeVisible();
  const codes = await page.getByRole('listitem').filter({ has: page.locator('code') }).allTextContents();
  expect(codes).toHaveLength(10);
  await checkA11y();

  // Signing in now asks for a code; a recovery code will do.
  await page.getByRole('link', { name: '工作台' }).click();
  await page.getByRole('button', { name: '登出' }).click();
  await page.goto('/staff/login');
  await page.getByLabel('用戶名').fill(username);
  await page.getByLabel('密碼').fill('Tide-Lantern-47-Oak');
  await page.getByRole('button', { name: '登入' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '驗證應用程式的驗證碼' })).toBeVisible();
  await checkA11y();
  await page.getByLabel('驗證碼').fill(codes[0]);
  await page.getByRole('button', { name: '繼續' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '案件' })).toBeVisible();
});

/** The code an authenticator app shows now for a base32 key (RFC 6238: SHA-1, 6 digits, 30 s). */
function totp(base32: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/\s/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const step = Buffer.alloc(8);
  step.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000)));
  const mac = createHmac('sha1', key).update(step).digest();
  const offset = mac[19] & 15;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

test('an administrator gives one kind of complaint its own time limit, then takes it back', async ({ page, open, project, checkA11y }) => {
  // Each project a category of its own: they run at once on one database, and the
  // server writes only the limits a page changed.
  const category = { js: '不在狀態', 'no-js': '不在行', desktop: '不講原則講關係' }[project];
  await signIn(page, 'admin');
  await open('/staff/admin');
  await page.getByRole('link', { name: '辦理時限' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '辦理時限' })).toBeVisible();
  await checkA11y();

  const form = page.getByRole('form', { name: '辦理時限' });
  await expect(form.getByRole('group', { name: '投訴（所有類別）' }).getByLabel('答覆（工作日）')).toHaveValue('5');
  const own = () => page.getByRole('group', { name: category, exact: true }).getByLabel('受理（工作日）');
  await expect(own()).toHaveValue('');
  await expect(own()).toHaveAccessibleDescription('留空：1 天（所有類別）');
  await own().fill('2');
  await form.getByRole('button', { name: '保存辦理時限' }).click();
  await expect(page.getByRole('status')).toHaveText('已保存辦理時限，之後設定的期限都按新的時限計算。');
  await expect(own()).toHaveValue('2');

  await open('/staff/admin');
  await expect(page.getByRole('region', { name: '變更紀錄' }).getByRole('row', { name: /變更辦理時限/ }).first()).toBeVisible();

  await open('/staff/admin/limits');
  await own().fill('');
  await page.getByRole('button', { name: '保存辦理時限' }).click();
  await expect(page.getByRole('status')).toHaveText('已保存辦理時限，之後設定的期限都按新的時限計算。');
  await expect(own()).toHaveValue('');
});

test('an administrator makes a channel for a hotline, whose system files a complaint with the key, then revokes it', async ({ page, open, project, checkA11y }) => {
  // Each project a channel of its own: they run at once on one database.
  const name = `12345 熱線 ${project} ${Date.now() % 100000}`;
  await signIn(page, 'admin');
  await open('/staff/admin');
  await page.getByRole('link', { name: '提交投訴的渠道（Open311）' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '渠道' })).toBeVisible();
  await checkA11y();

  const add = page.getByRole('form', { name: '建立渠道及其金鑰' });
  await add.getByLabel('渠道名稱').fill(name);
  await expect(add.getByLabel('渠道名稱')).toHaveAccessibleDescription(/例如「12345 熱線」/);
  await add.getByRole('button', { name: '建立渠道及其金鑰' }).click();
  const shown = page.getByRole('status').filter({ has: page.getByRole('heading', { name: `${name} 的金鑰` }) });
  await expect(shown).toContainText('只顯示這一次');
  await checkA11y();
  const key = (await shown.locator('code').textContent()) ?? '';
  expect(key).toHaveLength(43);

  // The hotline's system posts a complaint the way GeoReport v2 says.
  const posted = await page.request.post('/open311/v2/requests.json', {
    form: { api_key: key, service_code: 'delay', 'attribute[counter]': 'A01', description: '等了三個小時。' },
  });
  expect(posted.status()).toBe(201);
  const [{ service_request_id: id }] = await posted.json();
  const status = await page.request.get(`/open311/v2/requests/${id}.json`);
  expect((await status.json())[0].status).toBe('open');

  await open('/staff/admin/channels');
  const row = page.getByRole('region', { name: '渠道' }).getByRole('row', { name: new RegExp(name) });
  await expect(row.getByRole('cell').nth(2)).toHaveText('1');
  await row.getByRole('button', { name: `撤銷 ${name} 的金鑰` }).click();
  await expect(page.getByRole('status')).toHaveText('渠道的金鑰已撤銷：其下一個請求將被拒絕。');
  await expect(page.getByRole('region', { name: '渠道' }).getByRole('row', { name: new RegExp(name) })).toContainText('撤銷');

  const refused = await page.request.post('/open311/v2/requests.json', {
    form: { api_key: key, service_code: 'delay', 'attribute[counter]': 'A01', description: '又等了。' },
  });
  expect(refused.status()).toBe(403);
  await open('/staff/admin');
  await expect(page.getByRole('region', { name: '變更紀錄' }).getByRole('row', { name: /撤銷渠道金鑰/ }).first()).toBeVisible();
});

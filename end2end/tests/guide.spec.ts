import { test, expect, signIn } from './fixtures';

test('a citizen finds, from a counter\'s page, how long its department takes and everything to bring', async ({ page, open, checkA11y }) => {
  await open('/c/A01');
  await page.getByRole('link', { name: '查看這個部門的辦事指南' }).click();
  await expect(page).toHaveURL(/\/services\?department=HRSS$/);
  await expect(page.getByRole('heading', { level: 1, name: '辦事指南' })).toBeVisible();
  const item = page.getByRole('article', { name: '城鄉居民養老保險參保登記' });
  await expect(item.getByRole('definition')).toHaveText('即辦（當場辦結）');
  await expect(item.getByRole('listitem')).toHaveText(['居民身份證', '戶口簿']);
  await expect(page.getByRole('article', { name: '結婚登記' })).toHaveCount(0);
  await checkA11y();

  // Every department at once, by the filter (a plain GET form).
  await page.getByLabel('部門').selectOption({ label: '全部部門' });
  await page.getByRole('button', { name: '顯示' }).click();
  await expect(page).toHaveURL(/\/services\?department=$/);
  const marriage = page.getByRole('article', { name: '結婚登記' });
  await expect(marriage.getByRole('listitem')).toHaveText(['雙方居民身份證', '雙方戶口簿', '近期二寸合影照片三張']);
  await expect(page.getByRole('article', { name: '國有建設用地使用權及房屋所有權轉移登記' }).getByRole('definition')).toHaveText('5 個工作日');
});

test('an administrator publishes a service item and citizens see it at once', async ({ page, open, project, checkA11y }) => {
  // Each project adds an item of its own: the two run at once on one database.
  const code = `E2E-${project[0].toUpperCase()}${Date.now() % 100000}`;
  await signIn(page, 'admin');
  await open('/staff/admin');
  await page.getByRole('link', { name: '服務事項' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '服務事項' })).toBeVisible();
  await checkA11y();

  const add = page.getByRole('form', { name: '新增服務事項' });
  await add.getByLabel('代碼', { exact: true }).fill(code);
  await add.getByLabel('部門').selectOption({ value: 'CIVIL' });
  await add.getByLabel('名稱（繁體中文）').fill(`收養登記 ${code}`);
  await add.getByLabel('名稱（简体中文）').fill(`收养登记 ${code}`);
  await add.getByLabel('名稱（英文）').fill(`Adoption registration ${code}`);
  await add.getByLabel('辦理時限（工作日）').fill('20');
  await add.getByLabel('材料（繁體中文）').fill('收養申請書\n收養人身份證\n\n被收養人出生證明');
  await add.getByLabel('材料（简体中文）').fill('收养申请书\n收养人身份证\n被收养人出生证明');
  await add.getByLabel('材料（英文）').fill('Application\nIdentity cards\nBirth certificate');
  await add.getByRole('button', { name: '新增服務事項' }).click();
  await expect(page.getByRole('status')).toHaveText('已新增服務事項。');
  await expect(page.getByRole('row', { name: new RegExp(code) })).toContainText('20 個工作日');

  await open('/services?department=CIVIL');
  const item = page.getByRole('article', { name: `收養登記 ${code}` });
  await expect(item.getByRole('definition')).toHaveText('20 個工作日');
  await expect(item.getByRole('listitem')).toHaveText(['收養申請書', '收養人身份證', '被收養人出生證明']);
});

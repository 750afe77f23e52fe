import { test, expect } from './fixtures';

test('a department head signs in, sees who they are, and signs out', async ({ page, open, checkA11y }) => {
  await open('/staff');
  await expect(page).toHaveURL(/\/staff\/login\?next=\/staff$/);
  await expect(page.getByRole('heading', { level: 1, name: '工作人員登入' })).toBeVisible();
  await checkA11y();

  await page.getByLabel('用戶名').fill('head.hrss');
  await page.getByLabel('密碼').fill('wrong password');
  await page.getByRole('button', { name: '登入' }).click();
  await expect(page.getByRole('alert')).toContainText('用戶名或密碼不正確');
  await expect(page.getByLabel('用戶名')).toHaveValue('head.hrss');
  await expect(page.getByLabel('密碼')).toHaveValue('');

  await page.getByLabel('密碼').fill('counterpoint-demo');
  await page.getByRole('button', { name: '登入' }).click();
  await expect(page).toHaveURL(/\/staff$/);
  await expect(page.getByRole('heading', { level: 1, name: '案件' })).toBeVisible();
  await expect(page.getByText('李主任')).toBeVisible();
  await expect(page.getByText('部門負責人')).toBeVisible();
  await checkA11y();

  await page.getByRole('button', { name: '登出' }).click();
  await expect(page).toHaveURL(/\/staff\/login$/);
  await page.goto('/staff');
  await expect(page).toHaveURL(/\/staff\/login\?next=\/staff$/);
});

import { test, expect, personOf, signIn } from './fixtures';
import type { Page } from '@playwright/test';

/** A 1×1 PNG carrying a location in a text chunk (the server strips it). */
function pngWithLocation(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: number[] | Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), Buffer.from(data)]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length - 4);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]),
    chunk('tEXt', Buffer.from('GPS\u000023.129,113.264', 'latin1')),
    chunk('IDAT', [0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]),
    chunk('IEND', []),
  ]);
}


async function act(page: Page, button: string) {
  await page.getByRole('button', { name: button, exact: true }).click();
  await expect(page.getByRole('status')).toContainText('已完成');
}

test('a complaint with a photo goes from the citizen through transfer, decline, assignment and answer to an escalation', async ({ page, open, browser, js, checkA11y }, testInfo) => {
  test.setTimeout(90_000);
  const story = `窗口人員大聲斥責我 ${testInfo.project.name} ${Date.now()}`;

  // The citizen files it from the counter's QR code, with a photo.
  await open('/complain?counter=A01');
  await expect(page.getByRole('heading', { level: 1, name: '投訴' })).toBeVisible();
  await expect(page.getByLabel('窗口')).toHaveValue('A01');
  await checkA11y();
  await page.getByRole('radio', { name: '話難聽' }).check();
  await page.getByLabel('發生日期').fill('2026-03-02');
  await page.getByLabel('發生了什麼').fill(story);
  await page.getByLabel('照片（選填）').setInputFiles({ name: 'counter.png', mimeType: 'image/png', buffer: pngWithLocation() });
  await page.getByRole('radio', { name: '留下姓名和聯絡方式' }).check();
  await page.getByLabel('姓名', { exact: true }).fill('林小姐');
  await page.getByLabel('電子郵件').fill('lin@example.org');
  await page.getByRole('button', { name: '繼續' }).click();

  await expect(page.getByRole('heading', { level: 1, name: '檢查您的投訴' })).toBeVisible();
  await expect(page.getByText(story)).toBeVisible();
  await checkA11y();
  await page.getByRole('button', { name: '送出投訴' }).click();

  await expect(page.getByRole('heading', { name: '投訴已送出' })).toBeVisible();
  const trackingPath = await page.getByRole('link', { name: /^\/track\// }).getAttribute('href');
  expect(trackingPath).toMatch(/^\/track\/[0-9a-z]{26}$/);
  const number = (await page.getByRole('heading', { level: 2, name: /投訴編號/ }).textContent())!.replace(/\D/g, '');
  await checkA11y();
  const caseLink = { name: `編號 ${number}`, exact: true };
  const casePath = `/staff/cases/${number}`;

  // A counter clerk of the department accepts it and becomes its first responder.
  const clerk = await personOf(browser, testInfo);
  await signIn(clerk.page, 'staff.a01');
  await clerk.page.getByRole('link', caseLink).click();
  await expect(clerk.page.getByText(story)).toBeVisible();
  await act(clerk.page, '受理（成為首問責任人）');

  // The head transfers it to Civil Affairs; that head declines; it comes back.
  const head = await personOf(browser, testInfo);
  await signIn(head.page, 'head.hrss');
  await head.page.goto(casePath);
  await head.page.getByLabel('轉交給部門').selectOption({ label: '民政局' });
  await act(head.page, '轉交其他部門');
  const civil = await personOf(browser, testInfo);
  await signIn(civil.page, 'head.civil');
  await civil.page.goto(casePath);
  await civil.page.getByLabel('理由').fill('社保不屬民政局職責');
  await act(civil.page, '拒絕轉交');
  // The case is no longer theirs to see: back to their inbox.
  await expect(civil.page).toHaveURL(/\/staff\?done=decline_transfer$/);

  // Back home, the head assigns it; the assignee answers and marks it answered.
  await head.page.goto(casePath);
  // The first responder is still the clerk who accepted it.
  await expect(head.page.getByRole('term').filter({ hasText: /^首問責任人$/ })).toBeVisible();
  await expect(head.page.getByRole('definition').filter({ hasText: /^王小明$/ }).first()).toBeVisible();
  await head.page.getByLabel('分派給').selectOption({ label: '陳美玲' });
  await act(head.page, '分派');
  const assignee = await personOf(browser, testInfo);
  await signIn(assignee.page, 'staff.a02');
  await assignee.page.getByRole('link', caseLink).click();
  await assignee.page.getByLabel('答覆內容').fill('已約談當班人員並致歉。');
  await act(assignee.page, '公開答覆');
  await act(assignee.page, '標記為已答覆');
  await checkA11y();

  // The citizen reads the answer and says it did not help.
  await open(trackingPath!);
  await expect(page.getByText('已約談當班人員並致歉。')).toBeVisible();
  await expect(page.getByText('社保不屬民政局職責')).toHaveCount(0);
  await expect(page.getByText('王小明')).toHaveCount(0);
  await page.getByLabel('還有什麼問題沒有解決？').fill('道歉不等於解決，證件仍未辦好。');
  await page.getByRole('button', { name: '不滿意，要求重新辦理' }).click();
  await expect(page.getByRole('status')).toContainText('已重新辦理');
  await expect(page.getByText('重新辦理').first()).toBeVisible();

  // A supervisor sees it among the escalated cases.
  const supervisor = await personOf(browser, testInfo);
  await signIn(supervisor.page, 'supervisor');
  await supervisor.page.getByLabel('範圍').selectOption({ label: '督辦（不滿意）' });
  await supervisor.page.getByRole('button', { name: '篩選' }).click();
  await expect(supervisor.page.getByRole('link', caseLink)).toBeVisible();
  await supervisor.page.getByRole('link', caseLink).click();
  await expect(supervisor.page.getByRole('paragraph').filter({ hasText: '道歉不等於解決' })).toBeVisible();
  // It came with a supervision order to the bureau, carrying the citizen's reason.
  const order = supervisor.page.getByRole('article').filter({ hasText: '市民不滿意' });
  await expect(order).toContainText('效能辦');
  await expect(order).toContainText('道歉不等於解決');

  for (const p of [clerk, head, civil, assignee, supervisor]) await p.context.close();
  void js;
});

test('the complaint form keeps what was typed and names every problem', async ({ page, open, checkA11y }) => {
  await open('/complain');
  await page.getByLabel('發生了什麼').fill('門口沒有人');
  await page.getByLabel('照片（選填）').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('%PDF-1.7 not a photo') });
  await page.getByRole('button', { name: '繼續' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('只接受 JPEG、PNG 或 WebP 照片');
  await expect(summary).toContainText('請選擇');
  await expect(page.getByLabel('發生了什麼')).toHaveValue('門口沒有人');
  await checkA11y();
});

test('a tracking code that is not one gets a clear answer', async ({ page, open }) => {
  await open('/track');
  await page.getByLabel('追蹤碼').fill('not-a-code');
  await page.getByRole('button', { name: '查詢' }).click();
  await expect(page.getByRole('alert')).toContainText('找不到這個追蹤碼的投訴');
  await expect(page.getByLabel('追蹤碼')).toHaveValue('not-a-code');
});

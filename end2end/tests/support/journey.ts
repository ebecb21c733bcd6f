import { expect, Page, Browser, TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { latestCode } from './outbox';

// What several journeys share: axe-core checks, small real files to upload, signing in as an
// applicant (SMS code from the outbox) or as staff (demo accounts), and the reviewer's verdicts.

export const PASSWORD = 'Demo@2026';

/** A minimal valid PDF (starts with %PDF-). */
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n' +
    '2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n' +
    '3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200]>> endobj\n' +
    'trailer <</Root 1 0 R>>\n%%EOF\n',
);

export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, 'axe-core violations').toEqual([]);
}

/** A small real JPEG (starts FF D8 FF E0), drawn by the browser. */
export async function makeJpeg(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 80;
    canvas.height = 50;
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#d9e4f5';
    g.fillRect(0, 0, 80, 50);
    g.fillStyle = '#1c1b1f';
    g.fillRect(8, 8, 24, 30);
    return canvas.toDataURL('image/jpeg', 0.8).split(',')[1];
  });
  const jpeg = Buffer.from(base64, 'base64');
  expect([...jpeg.subarray(0, 4)]).toEqual([0xff, 0xd8, 0xff, 0xe0]);
  return jpeg;
}

/** Signs in on the login page we were sent to, and waits to be sent back. */
export async function signInOnLoginPage(page: Page, testInfo: TestInfo, phone: string) {
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel('手机号码').fill(phone);
  // Only the success line ("验证码已发送至 …"), not the refusal "验证码已发送，请在 N 秒后重新获取".
  const sent = page.getByText(/验证码已发送至/);
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.getByRole('button', { name: /获取验证码/ }).click();
    if (await sent.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) break;
    // Another journey asked for a code for this number less than a minute ago.
    await page.waitForTimeout(61_000);
  }
  await expect(sent).toBeVisible();
  await page.getByLabel('短信验证码').fill(latestCode(testInfo, phone));
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** A desktop-sized page signed in with a demo staff account. */
export async function staffPage(browser: Browser, testInfo: TestInfo, username: string): Promise<Page> {
  const context = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  await page.goto('/staff/login');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('工作人员登录');
  await expect(page.getByText('示范账号')).toBeVisible();
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page).toHaveURL(/\/staff$/);
  await expect(page.getByRole('link', { name: '工作台' })).toBeVisible();
  return page;
}

/** The list item of a material, by its heading. */
export function material(page: Page, name: string) {
  return page.locator('li', { has: page.getByRole('heading', { level: 3, name, exact: true }) });
}

/** The reviewer's verdict on one material. */
export async function verdict(page: Page, name: string, choice: '合格' | '不合格', reason?: string) {
  const item = material(page, name);
  await item.getByRole('radio', { name: choice, exact: true }).check();
  if (reason) await item.getByLabel('不合格原因（申请人会看到）').fill(reason);
  await item.getByRole('button', { name: /保存审核意见/ }).click();
  await expect(item.getByText(`当前意见：${choice}`)).toBeVisible();
}

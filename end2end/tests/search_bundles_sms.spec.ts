import { test, expect, Page } from '@playwright/test';
import { statusTexts } from './support/outbox';
import { PDF, expectNoAxeViolations, material, signInOnLoginPage, staffPage, verdict } from './support/journey';

// Citizen journeys at phone size: an everyday word (生孩子) finds the 一件事 first and leads to
// its page; traditional characters find the same; a member item's guide says it can be done
// together; status changes arrive by SMS (the development outbox) until turned off on the case
// page; and /track keeps its result on reload without the phone digits in the address.

const PHONE = '13800138031';

function bundleHits(page: Page) {
  return page.locator('section', { has: page.getByRole('heading', { name: '一件事一次办', level: 2 }) });
}

test('生孩子 finds 出生一件事 first, before the items, and opens the bundle page', async ({ page }) => {
  await page.goto(`/search?q=${encodeURIComponent('生孩子')}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('搜索“生孩子”');
  const hits = bundleHits(page);
  await expect(hits).toBeVisible();
  const first = hits.getByRole('link').first();
  await expect(first).toContainText('出生一件事');
  await expect(first).toHaveAttribute('href', '/bundles/birth');
  // The items are still listed, after the bundles.
  const items = page.locator('#results-title');
  await expect(items).toContainText(/共找到 \d+ 个事项/);
  const bundlesBox = await hits.boundingBox();
  const itemsBox = await items.boundingBox();
  expect(bundlesBox!.y).toBeLessThan(itemsBox!.y);
  await expectNoAxeViolations(page);

  await first.click();
  await expect(page).toHaveURL(/\/bundles\/birth$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('出生一件事');

  // Traditional characters find the same answers.
  await page.goto(`/search?q=${encodeURIComponent('營業執照')}`);
  await expect(bundleHits(page).getByRole('link').first()).toContainText('企业开办');
  await expect(page.locator('#results-title')).toContainText(/共找到 \d+ 个事项/);
});

test('a member item’s guide says it can be done together and links its bundle', async ({ page }) => {
  await page.goto('/items/SFQ-WJ-0001');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('出生医学证明签发');
  await expect(page.getByText(/这件事可以和.*一起办/)).toBeVisible();
  const link = bundleHits(page).getByRole('link', { name: '出生一件事' });
  await expect(link).toHaveAttribute('href', '/bundles/birth');
  await expectNoAxeViolations(page);
  await link.click();
  await expect(page).toHaveURL(/\/bundles\/birth$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('出生一件事');
});

test('需补正 arrives by SMS, notices can be turned off, /track keeps its result on reload', async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);

  // ---- Apply online for 高龄津贴 and submit.
  await page.goto('/login?next=/my');
  await signInOnLoginPage(page, testInfo, PHONE);
  await page.goto('/items/SFQ-MZ-0004');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('高龄津贴申领');
  await page.getByRole('radio', { name: '老人本人申请' }).check();
  await page.getByRole('link', { name: '在线申请' }).click();
  await expect(page).toHaveURL(/\/apply\/[0-9a-f]+$/);
  await page.getByLabel('申请人姓名').fill('李小红');
  await page.getByLabel('身份证号码').fill('110101199003077758');
  await page.getByLabel('联系地址').fill('示范区民生路88号3单元501室');
  await page.getByLabel('联系地址').blur();
  await expect(page.getByText(/已自动保存 \d\d:\d\d/)).toBeVisible();
  // The form's 手机号码 (where the SMS notices go) is the sign-in phone.
  await expect(page.getByLabel('手机号码')).toHaveValue(PHONE);
  for (const [name, file] of [
    ['高龄津贴申请表', '申请表.pdf'],
    ['居民身份证', '身份证.pdf'],
    ['本人银行卡/存折', '银行卡.pdf'],
  ]) {
    await page.getByLabel(`上传文件：${name}`).setInputFiles({ name: file, mimeType: 'application/pdf', buffer: PDF });
    await expect(material(page, name).getByText(file)).toBeVisible();
  }
  await page.getByRole('button', { name: '提交申请' }).click();
  await expect(page.getByText('提交成功！')).toBeVisible();
  const numberText = page.locator('.number-box__number');
  await expect(numberText).toHaveText(/^SFQ-\d{8}-\d{4}$/);
  const number = (await numberText.textContent())!.trim();
  const casePath = new URL(page.url()).pathname;
  await expect.poll(() => statusTexts(testInfo, PHONE, number).length).toBe(1);
  expect(statusTexts(testInfo, PHONE, number)[0]).toContain('已提交');

  // SMS notices are on by default.
  const sms = page.getByRole('checkbox', { name: /发短信到申请表中的手机号码/ });
  await expect(sms).toBeChecked();
  await expect(sms).toBeEnabled();
  await expectNoAxeViolations(page);

  // ---- The 民政 reviewer returns it: an SMS with the 受理编号 says 需补正, nothing personal.
  const reviewer = await staffPage(browser, testInfo, 'mz_reviewer');
  await reviewer.getByRole('link', { name: `审核 ${number}` }).click();
  await expect(reviewer.getByRole('heading', { level: 1 })).toHaveText('审核：高龄津贴申领');
  await verdict(reviewer, '高龄津贴申请表', '合格');
  await verdict(reviewer, '居民身份证', '不合格', '请上传身份证正反面');
  await verdict(reviewer, '本人银行卡/存折', '合格');
  await reviewer.getByRole('radio', { name: '退回补正' }).check();
  await reviewer.getByRole('button', { name: '确认退回补正' }).click();
  await expect(reviewer.getByText('已退回补正。')).toBeVisible();
  await expect.poll(() => statusTexts(testInfo, PHONE, number).length).toBe(2);
  const returned = statusTexts(testInfo, PHONE, number)[1];
  expect(returned).toContain('需补正');
  expect(returned).toContain(number);
  expect(returned).not.toContain('李小红');
  expect(returned).not.toContain('110101199003077758');

  // ---- The applicant turns SMS notices off; the resubmission sends none.
  await page.goto(casePath);
  await expect(page.getByRole('heading', { name: '一次性告知：需要补正' })).toBeVisible();
  await expect(sms).toBeEnabled();
  await sms.uncheck();
  await expect(page.getByText('已关闭短信通知')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: '一次性告知：需要补正' })).toBeVisible();
  await expect(sms).toBeEnabled();
  await expect(sms).not.toBeChecked();
  await page.getByLabel('重新上传：居民身份证').setInputFiles({ name: '身份证-正反面.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(material(page, '居民身份证').getByText('身份证-正反面.pdf')).toBeVisible();
  await page.getByRole('button', { name: '重新提交' }).click();
  await expect(page.getByText('提交成功！')).toBeVisible();
  expect(statusTexts(testInfo, PHONE, number)).toHaveLength(2);

  // ---- /track: found, then reloaded — the result stays, the digits are not in the address.
  await page.goto(`/track?number=${encodeURIComponent(number)}`);
  await expect(page.getByLabel('受理编号')).toHaveValue(number);
  await page.getByLabel('手机号后四位').fill(PHONE.slice(-4));
  await page.getByRole('button', { name: '查询', exact: true }).click();
  const result = page.getByRole('heading', { level: 2, name: '高龄津贴申领' });
  await expect(result).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/track\\?number=${number}$`));
  expect(new URL(page.url()).search).toBe(`?number=${number}`);
  await page.reload();
  await expect(result).toBeVisible();
  await expect(page.getByLabel('手机号后四位')).toHaveValue(PHONE.slice(-4));
  expect(page.url()).not.toContain(PHONE.slice(-4));
  await expectNoAxeViolations(page);
});

import { test, expect } from '@playwright/test';
import { latestCode } from './support/outbox';
import { PDF, expectNoAxeViolations, makeJpeg, material, signInOnLoginPage, staffPage, verdict } from './support/journey';

// 网上预审 from both sides: an applicant on a phone signs in with an SMS code, applies online for
// 高龄津贴 (a wrong 身份证号 is caught as typed), uploads the materials and submits; the 民政
// reviewer on a desktop returns it with a 一次性告知; the applicant re-uploads and resubmits;
// the reviewer approves and completes it; the applicant rates it 不满意; the centre manager answers
// with 整改; and anyone with the number and the last four digits follows it on /track, masked.

const PHONE = '13800138000';

test('apply online, return with 一次性告知, resubmit, approve, rate, 整改 and track', async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);

  // ---- Sign in with an SMS code (phone size).
  await page.goto('/login?next=/my');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('登录办事通');
  await expect(page).toHaveTitle(/登录/);
  await expect(page.getByText('示范环境：验证码不会真的发短信')).toBeVisible();
  const phone = page.getByLabel('手机号码');
  await phone.fill('1380013800');
  await phone.blur();
  await expect(page.getByText('手机号码应为11位数字，您输入了10位')).toBeVisible();
  await phone.fill(PHONE);
  await expect(page.getByText('手机号码应为11位数字')).toHaveCount(0);
  await expectNoAxeViolations(page);
  const sent = page.getByText('验证码已发送至 138****8000');
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.getByRole('button', { name: /获取验证码/ }).click();
    if (await sent.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) break;
    // Another journey asked for a code for this number less than a minute ago: the server
    // says how long to wait ("验证码已发送，请在 N 秒后重新获取").
    await expect(page.getByText(/请在 \d+ 秒后重新获取/)).toBeVisible();
    await page.waitForTimeout(61_000);
  }
  await expect(sent).toBeVisible();
  await expect(page.getByRole('button', { name: /秒后可重新获取/ })).toBeDisabled();
  const code = page.getByLabel('短信验证码');
  await expect(code).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(code).toHaveAttribute('inputmode', 'numeric');
  const right = latestCode(testInfo, PHONE);
  await code.fill(right === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByText('验证码不正确或已失效，还可以再试 4 次')).toBeVisible();
  await code.fill(right);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page).toHaveURL(/\/my$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的办件');
  await expect(page.getByRole('link', { name: /我的办件/ })).toBeVisible();

  // ---- The guide's 在线申请 starts a draft with the 情形 answered.
  await page.goto('/items/SFQ-MZ-0004');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('高龄津贴申领');
  await page.getByRole('radio', { name: '老人本人申请' }).check();
  await page.getByRole('link', { name: '在线申请' }).click();
  await expect(page).toHaveURL(/\/apply\/[0-9a-f]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('高龄津贴申领');
  await expect(page).toHaveTitle(/在线申请/);
  const caseUrl = page.url();

  // ---- The form: each field checked as typed with the server's own rule.
  await expect(page.getByLabel('手机号码')).toHaveValue(PHONE);
  await page.getByLabel('申请人姓名').fill('张小明');
  const id = page.getByLabel('身份证号码');
  await id.fill('110101199003077757');
  const idError = page.locator('#f-id_number-error');
  await expect(idError).toContainText('身份证号码');
  await expect(id).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page);
  await id.fill('110101199003077758');
  await expect(idError).toBeEmpty();
  await expect(id).not.toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('联系地址').fill('示范区民生路88号3单元501室');
  await page.getByLabel('联系地址').blur();
  await expect(page.getByText(/已自动保存 \d\d:\d\d/)).toBeVisible();

  // ---- Uploads: a PDF and a photo (thumbnail), then the third material.
  const jpeg = await makeJpeg(page);
  await page.getByLabel('上传文件：高龄津贴申请表').setInputFiles({ name: '申请表.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(material(page, '高龄津贴申请表').getByText('申请表.pdf')).toBeVisible();
  await page.getByLabel('上传文件：居民身份证').setInputFiles({ name: '身份证.jpg', mimeType: 'image/jpeg', buffer: jpeg });
  const thumb = material(page, '居民身份证').getByRole('img', { name: '居民身份证的预览' });
  await expect(thumb).toBeVisible();
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await page.getByLabel('上传文件：本人银行卡/存折').setInputFiles({ name: '银行卡.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(material(page, '本人银行卡/存折').getByText('银行卡.pdf')).toBeVisible();

  // Closing the page loses nothing.
  await page.goto(caseUrl);
  await expect(page.getByLabel('申请人姓名')).toHaveValue('张小明');
  await expect(page.getByLabel('身份证号码')).toHaveValue('110101199003077758');
  await expect(material(page, '居民身份证').getByText('身份证.jpg')).toBeVisible();

  await page.getByRole('button', { name: '提交申请' }).click();
  await expect(page).toHaveURL(/\/my\/cases\/[0-9a-f]+\?submitted=1$/);
  await expect(page.getByText('提交成功！')).toBeVisible();
  const numberText = page.locator('.number-box__number');
  await expect(numberText).toHaveText(/^SFQ-\d{8}-\d{4}$/);
  const number = (await numberText.textContent())!.trim();
  const qr = page.getByRole('img', { name: '受理编号二维码' });
  await expect(qr).toBeVisible();
  expect(decodeURIComponent((await qr.getAttribute('src')) ?? '')).toContain(`/track?number=${number}`);
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expectNoAxeViolations(page);
  const casePath = new URL(page.url()).pathname;

  // ---- The 民政 reviewer returns it: one material 不合格.
  const reviewer = await staffPage(browser, testInfo, 'mz_reviewer');
  const row = reviewer.getByRole('row', { name: new RegExp(number) });
  await expect(row).toContainText('高龄津贴申领');
  await expect(row).toContainText('张*明');
  await expectNoAxeViolations(reviewer);
  await reviewer.getByRole('link', { name: `审核 ${number}` }).click();
  await expect(reviewer.getByRole('heading', { level: 1 })).toHaveText('审核：高龄津贴申领');
  await expect(reviewer.getByText('110101199003077758')).toBeVisible();
  await expect(material(reviewer, '居民身份证').getByRole('img', { name: /居民身份证：身份证\.jpg/ })).toBeVisible();
  await expectNoAxeViolations(reviewer);
  await verdict(reviewer, '高龄津贴申请表', '合格');
  await verdict(reviewer, '居民身份证', '不合格', '照片模糊，请重新拍摄身份证正反面');
  await verdict(reviewer, '本人银行卡/存折', '合格');
  await reviewer.getByRole('radio', { name: '退回补正' }).check();
  await expect(reviewer.getByText('照片模糊，请重新拍摄身份证正反面').last()).toBeVisible();
  await reviewer.getByRole('button', { name: '确认退回补正' }).click();
  await expect(reviewer.getByText('已退回补正。')).toBeVisible();

  // ---- The applicant sees every problem at once, re-uploads and resubmits.
  await page.goto(casePath);
  await expect(page.getByRole('heading', { name: '一次性告知：需要补正' })).toBeVisible();
  await expect(page.getByText('照片模糊，请重新拍摄身份证正反面').first()).toBeVisible();
  await expect(page.getByRole('link', { name: '打印一次性告知书' })).toBeVisible();
  await page.getByLabel('重新上传：居民身份证').setInputFiles({ name: '身份证-清晰.jpg', mimeType: 'image/jpeg', buffer: jpeg });
  await expect(material(page, '居民身份证').getByText('身份证-清晰.jpg')).toBeVisible();
  await expect(material(page, '居民身份证').getByText('历史版本 1 个')).toBeVisible();
  await page.getByRole('button', { name: '重新提交' }).click();
  await expect(page.getByText('提交成功！')).toBeVisible();

  // ---- The reviewer accepts the new photo, approves and completes.
  await reviewer.reload();
  await expect(reviewer.getByRole('heading', { level: 1 })).toHaveText('审核：高龄津贴申领');
  await verdict(reviewer, '居民身份证', '合格');
  await reviewer.getByRole('radio', { name: '预审通过' }).check();
  await reviewer.getByLabel(/下一步/).fill('已网上受理，无需到现场，审核通过后从次月起按月发放。');
  await reviewer.getByRole('button', { name: '确认预审通过' }).click();
  await expect(reviewer.getByText('已预审通过。')).toBeVisible();
  await reviewer.getByRole('radio', { name: '办结' }).check();
  await reviewer.getByRole('button', { name: '确认办结' }).click();
  await expect(reviewer.getByText('已办结。')).toBeVisible();

  // ---- The applicant rates it 不满意.
  await page.goto(casePath);
  await expect(page.locator('.case-badges')).toContainText('已办结');
  await expect(page.locator('dd', { hasText: '审核通过后从次月起按月发放' })).toBeVisible();
  await page.getByRole('radio', { name: '不满意', exact: true }).check();
  await page.getByLabel(/想说的话/).fill('第一次退回时没说清楚要拍正反面');
  await page.getByRole('button', { name: '提交评价' }).click();
  await expect(page.getByText('已转交政务服务中心跟进整改')).toBeVisible();

  // ---- The manager answers the 差评 with 整改.
  const manager = await staffPage(browser, testInfo, 'manager');
  await manager.goto('/manager');
  await expect(manager.getByRole('heading', { level: 1 })).toHaveText('督办与差评整改');
  const followUp = manager.locator('li', { hasText: number });
  await expect(followUp).toContainText('第一次退回时没说清楚要拍正反面');
  await followUp.getByLabel(/整改答复/).fill('已要求审核人员在告知书中写明拍摄要求，并附示范照片。');
  await followUp.getByRole('button', { name: '提交整改答复' }).click();
  await expect(followUp.getByText('已要求审核人员在告知书中写明拍摄要求')).toBeVisible();
  await expectNoAxeViolations(manager);

  // ---- The applicant sees the answer (and a message about it).
  await page.goto(casePath);
  await expect(page.getByText('已要求审核人员在告知书中写明拍摄要求，并附示范照片。')).toBeVisible();
  await expectNoAxeViolations(page);

  // ---- Anyone can follow it with the number and the last four digits, masked.
  await page.goto(`/track?number=${encodeURIComponent(number)}`);
  await expect(page.getByLabel('受理编号')).toHaveValue(number);
  await page.getByLabel('手机号后四位').fill('8000');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByText('张*明')).toBeVisible();
  await expect(page.getByText('张小明')).toHaveCount(0);
  await expect(page.getByText('退回补正')).toBeVisible();
  await expect(page.getByText('照片模糊')).toHaveCount(0);
  await expectNoAxeViolations(page);
  await page.getByLabel('手机号后四位').fill('1234');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByText('没有查到该办件，请核对受理编号和手机号后四位')).toBeVisible();
  await expect(page.getByText('张*明')).toHaveCount(0);
});

// No dead ends in the form: opened without the 情形 answers (a deep link, a search card) it asks
// them first and the materials follow; 在线申请 again reopens the same draft; a field takes no
// more than the length the server accepts; a save the network lost is said under the field.
test('a form opened without answers asks them; 在线申请 again reopens the draft; lengths and failed saves', async ({ page }, testInfo) => {
  await page.goto('/apply/new?item=SFQ-MZ-0004');
  await signInOnLoginPage(page, testInfo, '13900139240');
  await expect(page).toHaveURL(/\/apply\/[0-9a-f]+$/);
  const caseUrl = page.url();
  const situation = page.getByRole('region', { name: '第一步：您的情形' });
  await expect(situation).toContainText('请先回答下面 1 个问题');
  await expect(page.getByRole('heading', { name: '第二步：填写申请信息' })).toBeVisible();
  await expect(material(page, '授权委托书')).toBeVisible();
  await situation.getByRole('radio', { name: '老人本人申请' }).check();
  await expect(situation).toContainText('需要上传的材料已按您的回答列出');
  await expect(material(page, '授权委托书')).toHaveCount(0);
  await expect(material(page, '本人银行卡/存折')).toBeVisible();

  await page.getByLabel('申请人姓名').fill('李秀英');
  // 补充说明 takes 2000 characters, the server's limit, and counts down near it.
  const remarks = page.getByLabel('补充说明');
  await remarks.fill('长'.repeat(2001));
  await expect(remarks).toHaveValue('长'.repeat(2000));
  await expect(page.getByText('已达到2000个字的上限')).toBeVisible();
  await remarks.blur();
  await expect(page.getByText(/已自动保存 \d\d:\d\d/)).toBeVisible();

  // The network drops during a save: said under the field, nothing typed is lost, saved later.
  await page.route('**/api/applications/*', (route) =>
    route.request().method() === 'PUT' ? route.abort('internetdisconnected') : route.continue());
  const address = page.getByLabel('联系地址');
  await address.fill('示范区文昌路8号1单元101室');
  await address.blur();
  const field = page.locator('.field', { has: address });
  await expect(field.getByRole('alert')).toContainText('网络连接中断，这一栏刚填写的内容还没有保存');
  await expect(address).toHaveValue('示范区文昌路8号1单元101室');
  await expectNoAxeViolations(page);
  await page.unroute('**/api/applications/*');
  // The save is retried every 5 s; once it went through, the message under the field is gone.
  await expect(page.getByText(/已自动保存 \d\d:\d\d/)).toBeVisible({ timeout: 20_000 });
  await expect(field.getByText('网络连接中断')).toHaveCount(0);

  // Back to the guide: 在线申请 has become 继续填写, with the last save; it opens the same draft.
  await page.goto('/items/SFQ-MZ-0004');
  await expect(page.getByText(/您已有这个事项的草稿，上次保存 \d+月\d+日 \d\d:\d\d/)).toBeVisible();
  await page.getByRole('link', { name: '继续填写' }).click();
  await expect(page).toHaveURL(caseUrl);
  await expect(page.getByLabel('申请人姓名')).toHaveValue('李秀英');
  await expect(page.getByLabel('联系地址')).toHaveValue('示范区文昌路8号1单元101室');
  await expect(page.getByRole('radio', { name: '老人本人申请' })).toBeChecked();
  await expect(material(page, '授权委托书')).toHaveCount(0);
});

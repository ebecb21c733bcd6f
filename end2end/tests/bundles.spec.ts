import { test, expect, Page } from '@playwright/test';
import { PDF, expectNoAxeViolations, makeJpeg, material, signInOnLoginPage, staffPage } from './support/journey';

// 一件事一次办 on a phone, with the departments' reviewers on desktops.
//
// 出生一件事: guide → 情形 answers → one form → the parents' 身份证 uploaded ONCE for all three
// members → one submission; the 卫健 reviewer approves 出生医学证明, which passes 新生儿落户 to
// 公安 by itself; the 公安 reviewer returns it; the combined progress shows both departments'
// work and the one merged 一次性告知.
//
// 企业开办: 名称自主申报 (a registered 字号 is refused, a fresh one passes), company facts with
// shares that must add up to 100%, one submission; the 市场监管 reviewer approves 设立登记 and the
// progress shows the issued 统一社会信用代码 (GB 32100) and the 3-hour clock; the manager sees it.

const BIRTH_PHONE = '13900139000';
const COMPANY_PHONE = '13700137000';

/** Marks every material of the open staff case 合格 and approves it with the next steps. */
async function approveAll(reviewer: Page, nextSteps: string) {
  const items = reviewer.locator('li.review-material');
  const count = await items.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) {
    const item = items.nth(i);
    await item.getByRole('radio', { name: '合格', exact: true }).check();
    await item.getByRole('button', { name: /保存审核意见/ }).click();
    await expect(item.getByText('当前意见：合格')).toBeVisible();
  }
  await reviewer.getByRole('radio', { name: '预审通过' }).check();
  await reviewer.getByLabel(/下一步/).fill(nextSteps);
  await reviewer.getByRole('button', { name: '确认预审通过' }).click();
  await expect(reviewer.getByText('已预审通过。')).toBeVisible();
}

/** Marks every material of the open staff case except `name` 合格: a return needs a verdict on each. */
async function acceptOthers(reviewer: Page, name: string) {
  const others = reviewer.locator('li.review-material', { hasNot: reviewer.locator('h3', { hasText: name }) });
  const count = await others.count();
  for (let i = 0; i < count; i++) {
    const item = others.nth(i);
    await item.getByRole('radio', { name: '合格', exact: true }).check();
    await item.getByRole('button', { name: /保存审核意见/ }).click();
    await expect(item.getByText('当前意见：合格')).toBeVisible();
  }
}

/** A member's card on the combined progress page. */
function member(page: Page, shortName: string) {
  return page.locator('li.bundle-member', { has: page.locator('.bundle-member__name', { hasText: shortName }) });
}

async function memberNumber(page: Page, shortName: string): Promise<string> {
  const dd = member(page, shortName).locator('dt:text-is("受理编号") + dd');
  await expect(dd).toHaveText(/^SFQ-\d{8}-\d{4}$/);
  return (await dd.textContent())!.trim();
}

test('出生一件事: one form, the parents’ 身份证 once, two departments, one progress view', async ({ page, browser }, testInfo) => {
  test.setTimeout(300_000);

  // ---- The list and the guide, tailored by the questions.
  await page.goto('/bundles');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('一件事一次办');
  await expect(page.locator('.bundle-cards li')).toHaveCount(6);
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: '法人办事' }).click();
  await expect(page.getByRole('link', { name: /企业开办/ })).toBeVisible();
  await page.getByRole('button', { name: '个人办事' }).click();
  await page.getByRole('link', { name: /出生一件事/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/出生一件事/);
  await expect(page.getByText('请先回答下面的 4 个问题，再在线申请。')).toBeVisible();
  await expectNoAxeViolations(page);
  const members = page.locator('.bundle-members > li');
  await expect(members).toHaveCount(4);
  await page.getByRole('radio', { name: '在示范区有助产资质的医院出生' }).check();
  await page.getByRole('radio', { name: '是，已登记结婚' }).check();
  await page.getByRole('radio', { name: '是，随父亲或母亲落户示范区' }).check();
  await page.getByRole('radio', { name: '暂不需要' }).check();
  // 社会保障卡 leaves the bundle; the parents' 身份证 is one material used by three members.
  await expect(members).toHaveCount(3);
  await expect(page.locator('.bundle-members')).not.toContainText('社会保障卡');
  const ids = page.locator('li.material', { has: page.locator('.material__title', { hasText: '父母双方居民身份证' }) });
  await expect(ids).toHaveCount(1);
  await expect(ids).toContainText('用于：出生医学证明、新生儿落户、城乡居民医保参保');
  await expect(page.locator('li.material', { hasText: '出生医学证明' }).first()).toBeVisible();
  // 分娩记录 is the hospital's own record: 自动获取, never 必交.
  const delivery = page.locator('li.material', { has: page.locator('.material__title', { hasText: '分娩记录' }) });
  await expect(delivery).toContainText('自动获取');
  await expect(delivery).not.toContainText('必交');
  await expect(page).toHaveURL(/[?&]a=.*place\.hospital/);
  await expect(page.getByRole('link', { name: '登录' })).toHaveAttribute('href', /next=%2Fbundles%2Fbirth%3Fa%3D/);
  await expectNoAxeViolations(page);

  // ---- 在线申请 asks to sign in first, then opens the draft.
  await page.getByRole('link', { name: '在线申请' }).click();
  await signInOnLoginPage(page, testInfo, BIRTH_PHONE);
  await expect(page).toHaveURL(/\/my\/bundles\/[0-9a-f]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('出生一件事');
  await expect(page.getByText('办理以下 3 个事项：1 个先送达部门，另外 2 个在前序事项办结后由系统自动提交。')).toBeVisible();
  const draftUrl = page.url();

  await expect(page.getByLabel('手机号码')).toHaveValue(BIRTH_PHONE);
  await page.getByLabel('申报人姓名').fill('陈思远');
  const id = page.getByLabel('申报人身份证号码');
  await id.fill('610113198805120017');
  await expect(page.locator('#f-id_number-error')).toContainText('身份证号码');
  await id.fill('610113198805120016');
  await expect(page.locator('#f-id_number-error')).toBeEmpty();
  await page.getByLabel('联系地址').fill('示范区文昌路66号2单元302室');
  await page.getByLabel('新生儿姓名').fill('陈小满');
  await page.getByLabel('新生儿性别').selectOption('女');
  await page.getByLabel('新生儿出生日期').fill('2026-11-20');
  await page.getByLabel('出生医院或出生地点').fill('示范区人民医院');
  await page.getByLabel('孩子另一方父母姓名').fill('林晓');
  await page.getByLabel('孩子另一方父母姓名').blur();
  await expect(page.getByText(/已自动保存 \d\d:\d\d/)).toBeVisible();

  // One upload of the parents' 身份证, for every member using it.
  const jpeg = await makeJpeg(page);
  await expect(material(page, '父母双方居民身份证')).toContainText('上传一次，用于：出生医学证明、新生儿落户、城乡居民医保参保');
  await page.getByLabel('上传文件：父母双方居民身份证').setInputFiles({ name: '父母身份证.jpg', mimeType: 'image/jpeg', buffer: jpeg });
  await expect(material(page, '父母双方居民身份证').getByText('父母身份证.jpg')).toBeVisible();
  await expect(page.getByText(/无需上传：出生医学证明/)).toBeVisible();
  await expectNoAxeViolations(page);

  // Submitting with materials missing names each of them.
  await page.getByRole('button', { name: '提交申请' }).click();
  await expect(page.getByRole('alert').getByText('请上传：居民户口簿')).toBeVisible();
  await expect(page.getByRole('alert')).not.toContainText('分娩记录');
  // Nothing to upload for 分娩记录: the system fetches it from the hospital.
  await expect(material(page, '分娩记录')).toContainText('自动获取');
  await expect(page.getByLabel('上传文件：分娩记录')).toHaveCount(0);
  for (const [name, file] of [
    ['居民户口簿', '户口簿.pdf'],
    ['结婚证', '结婚证.pdf'],
    ['户主同意落户的书面意见', '户主意见.pdf'],
  ]) {
    await page.getByLabel(`上传文件：${name}`).setInputFiles({ name: file, mimeType: 'application/pdf', buffer: PDF });
    await expect(material(page, name).getByText(file)).toBeVisible();
  }
  // Reopening the draft loses nothing.
  await page.goto(draftUrl);
  await expect(page.getByLabel('新生儿姓名')).toHaveValue('陈小满');
  await expect(material(page, '父母双方居民身份证').getByText('父母身份证.jpg')).toBeVisible();

  await page.getByRole('button', { name: '提交申请' }).click();
  // Only 出生医学证明 starts now; 落户 and 医保 follow it (waiting is not 同时送达).
  await expect(page.getByText('1 个事项已送达各部门，另外 2 个事项将在前序事项办结后由系统自动提交')).toBeVisible();
  await expect(page.locator('.number-box__number')).toHaveText(/^SFQ-\d{8}-\d{4}$/);
  const bundleNumber = (await page.locator('.number-box__number').textContent())!.trim();
  const progressPath = new URL(page.url()).pathname;
  await expect(member(page, '出生医学证明')).toContainText('待预审');
  await expect(member(page, '新生儿落户')).toContainText('等待前序事项');
  await expect(member(page, '新生儿落户')).toContainText('“出生医学证明”办结后自动提交给示范区公安分局');
  const wjNumber = await memberNumber(page, '出生医学证明');
  await expectNoAxeViolations(page);

  // ---- 卫健 approves 出生医学证明: the parents' 身份证 is in its case.
  const wj = await staffPage(browser, testInfo, 'wj_reviewer');
  await wj.getByRole('link', { name: `审核 ${wjNumber}` }).click();
  await expect(wj.getByRole('heading', { level: 1 })).toHaveText('审核：出生医学证明签发');
  await expect(material(wj, '父母双方居民身份证')).toBeVisible();
  // The fetched 分娩记录 is attached for the reviewer, marked as fetched by the system.
  await expect(material(wj, '分娩记录')).toContainText('系统自动获取');
  await expect(material(wj, '分娩记录')).toContainText('分娩记录（系统调取）.pdf');
  await approveAll(wj, '出生医学证明已签发，家长无需到现场领取，后续事项自动办理。');

  // ---- 新生儿落户 went to 公安 by itself, with the same upload; 公安 returns it.
  await page.goto(progressPath);
  await expect(member(page, '出生医学证明')).toContainText('预审通过');
  const gaNumber = await memberNumber(page, '新生儿落户');
  await expect(member(page, '新生儿落户')).toContainText('待预审');
  const ga = await staffPage(browser, testInfo, 'ga_reviewer');
  await ga.getByRole('link', { name: `审核 ${gaNumber}` }).click();
  await expect(ga.getByRole('heading', { level: 1 })).toHaveText(/新生儿/);
  const gaIds = material(ga, '父母双方居民身份证');
  await expect(gaIds).toBeVisible();
  await gaIds.getByRole('radio', { name: '不合格', exact: true }).check();
  await gaIds.getByLabel('不合格原因（申请人会看到）').fill('身份证背面缺失，请补拍父母双方身份证反面');
  await gaIds.getByRole('button', { name: /保存审核意见/ }).click();
  await expect(gaIds.getByText('当前意见：不合格')).toBeVisible();
  await acceptOthers(ga, '父母双方居民身份证');
  await ga.getByRole('radio', { name: '退回补正' }).check();
  await ga.getByRole('button', { name: '确认退回补正' }).click();
  await expect(ga.getByText('已退回补正。')).toBeVisible();

  // ---- One progress view: both departments' work, one merged 一次性告知.
  await page.goto(progressPath);
  await expect(page.locator('.case-badges')).toContainText('需补正');
  await expect(page.getByRole('heading', { name: '一次性告知：需要补正' })).toBeVisible();
  await expect(page.locator('.notice-dept h3')).toHaveText(['示范区公安分局']);
  await expect(page.locator('.notice-dept').getByText('身份证背面缺失，请补拍父母双方身份证反面')).toBeVisible();
  await expect(member(page, '出生医学证明')).toContainText('示范区卫生健康委员会');
  await expect(member(page, '出生医学证明')).toContainText('预审通过');
  await expect(member(page, '新生儿落户')).toContainText('示范区公安分局');
  await expect(member(page, '新生儿落户')).toContainText('需补正');
  await expectNoAxeViolations(page);
  await page.screenshot({ path: testInfo.outputPath('birth-progress.png'), fullPage: true });

  // ---- The bundle number tracks every member without signing in.
  await page.goto(`/track?number=${encodeURIComponent(bundleNumber)}`);
  await page.getByLabel('手机号后四位').fill(BIRTH_PHONE.slice(-4));
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByRole('heading', { name: '出生一件事' })).toBeVisible();
  await expect(page.getByText('陈*远')).toBeVisible();
  await expect(page.locator('.bundle-members > li')).toHaveCount(3);
  await expect(page.getByText('身份证背面缺失')).toHaveCount(0);
  await expectNoAxeViolations(page);

  // ---- 一次补正: upload the asked-for material once and resubmit from the progress page.
  await page.goto(progressPath);
  const redo = page.locator('section', { has: page.getByRole('heading', { name: '一次补正' }) });
  await redo.getByLabel('重新上传：父母双方居民身份证').setInputFiles({ name: '父母身份证-正反面.jpg', mimeType: 'image/jpeg', buffer: jpeg });
  await expect(redo.getByText('父母身份证-正反面.jpg')).toBeVisible();
  await expectNoAxeViolations(page);
  await redo.getByRole('button', { name: '重新提交（1 个事项）' }).click();
  await expect(page.locator('.case-badges')).toContainText('办理中');
  await expect(page.getByRole('heading', { name: '一次性告知：需要补正' })).toHaveCount(0);
  await expect(member(page, '新生儿落户')).toContainText('待预审');
});

/** The reviewer marks one material 不合格 and returns the case with the 一次性告知. */
async function returnFor(reviewer: Page, number: string, name: string, reason: string) {
  await reviewer.goto('/staff');
  await reviewer.getByRole('link', { name: `审核 ${number}` }).click();
  const item = material(reviewer, name);
  await item.getByRole('radio', { name: '不合格', exact: true }).check();
  await item.getByLabel('不合格原因（申请人会看到）').fill(reason);
  await item.getByRole('button', { name: /保存审核意见/ }).click();
  await expect(item.getByText('当前意见：不合格')).toBeVisible();
  await acceptOthers(reviewer, name);
  await reviewer.getByRole('radio', { name: '退回补正' }).check();
  await reviewer.getByRole('button', { name: '确认退回补正' }).click();
  await expect(reviewer.getByText('已退回补正。')).toBeVisible();
}

test('企业开办: name check, company facts, one submission, 统一社会信用代码 issued', async ({ page, browser }, testInfo) => {
  test.setTimeout(300_000);

  await page.goto('/bundles/company');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/企业开办/);
  await page.getByRole('radio', { name: '有限责任公司' }).check();
  await page.getByRole('radio', { name: '租赁房屋，有租赁合同' }).check();
  await page.getByRole('radio', { name: '否，法定代表人本人办理' }).check();
  await page.getByRole('radio', { name: '暂不需要，以后自行办理' }).check();
  await page.getByRole('radio', { name: '暂不办理' }).check();
  await expect(page.locator('.bundle-members > li')).toHaveCount(4);
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: '在线申请' }).click();
  await signInOnLoginPage(page, testInfo, COMPANY_PHONE);
  await expect(page).toHaveURL(/\/my\/bundles\/[0-9a-f]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('企业开办');

  // ---- 名称自主申报: a registered 字号 in the same industry is refused with a suggestion.
  await page.getByLabel('字号').fill('青禾');
  await page.getByLabel('行业表述').fill('餐饮管理');
  const check = page.locator('.name-check');
  await expect(check).toContainText('示范区青禾餐饮管理有限公司');
  await expect(check).toContainText('字号重复');
  await expect(check).toContainText('建议：');
  await page.getByLabel('字号').fill('中华云栖');
  await expect(check).toContainText('限制使用');
  await page.getByLabel('字号').fill('禾木青屿');
  await page.getByLabel('行业表述').fill('信息技术');
  await expect(check).toContainText('示范区禾木青屿信息技术有限公司：未发现重名或禁限用字词，可以申报。');
  await expectNoAxeViolations(page);

  // ---- Company facts: shares must add up to 100%.
  await page.getByLabel('注册资本（万元）').fill('100');
  const first = page.locator('fieldset.holder').nth(0);
  await first.getByLabel('姓名').fill('李云舟');
  await first.getByLabel('居民身份证号码').fill('610113198805120016');
  await first.getByLabel('认缴出资额（万元）').fill('60');
  await first.getByLabel('出资比例（%）').fill('60');
  await first.getByLabel('出资比例（%）').blur();
  await expect(page.getByText('股东出资比例合计应为100%，目前为60%')).toBeVisible();
  await page.getByRole('button', { name: '添加股东' }).click();
  const second = page.locator('fieldset.holder').nth(1);
  await second.getByLabel('姓名').fill('周晓岚');
  await second.getByLabel('居民身份证号码').fill('61011319900318002X');
  await second.getByLabel('认缴出资额（万元）').fill('40');
  await second.getByLabel('出资比例（%）').fill('30');
  await second.getByLabel('出资比例（%）').blur();
  await expect(page.getByText('股东出资比例合计应为100%，目前为90%')).toBeVisible();
  await second.getByLabel('出资比例（%）').fill('40');
  await second.getByLabel('出资比例（%）').blur();
  await expect(page.getByText(/股东出资比例合计应为100%/)).toHaveCount(0);
  await page.getByRole('button', { name: '与第 1 位股东相同' }).click();
  await expect(page.locator('#f-legal_rep\\.name')).toHaveValue('李云舟');
  await page.locator('#f-legal_rep\\.phone').fill(COMPANY_PHONE);
  await page.getByLabel('住所（注册地址）').fill('示范区科创路18号创新大厦5层501室');
  await page.locator('summary', { hasText: '信息技术' }).click();
  await page.getByText('软件开发', { exact: true }).click();
  await expect(page.getByText('已选：软件开发')).toBeVisible();

  // ---- The rest of the one form.
  await page.getByLabel('刻制印章').selectOption({ index: 1 });
  await page.getByLabel('预计参保职工人数').fill('6');
  await page.getByLabel('预计参保职工人数').blur();
  await expect(page.getByText(/已自动保存 \d\d:\d\d/)).toBeVisible();
  await expect(page.getByLabel('企业名称')).toHaveCount(0);

  for (const name of [
    '法定代表人身份证件',
    '股东/投资人身份证明',
    '公司章程',
    '董事、监事、经理的任职文件',
    '不动产权证书',
    '房屋租赁合同',
    '办税人员居民身份证',
    '财务会计制度或财务核算软件备案信息',
  ]) {
    await page.getByLabel(`上传文件：${name}`).setInputFiles({ name: `${name.slice(0, 6)}.pdf`, mimeType: 'application/pdf', buffer: PDF });
    await expect(material(page, name).getByText('已上传')).toBeVisible();
  }
  await expect(page.getByText(/无需上传：营业执照/)).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByRole('button', { name: '提交申请' }).click();
  await expect(page.getByText(/1 个事项已送达各部门，另外 3 个事项将在前序事项办结后由系统自动提交/)).toBeVisible();
  await expect(page.locator('.hour-clock')).toContainText('承诺 3 个工作小时内办结');
  await expect(member(page, '公章刻制')).toContainText('等待前序事项');
  const sjNumber = await memberNumber(page, '营业执照');
  const progressPath = new URL(page.url()).pathname;

  // ---- 市场监管 approves 设立登记: the company gets its 统一社会信用代码.
  const sj = await staffPage(browser, testInfo, 'sj_reviewer');
  await sj.getByRole('link', { name: `审核 ${sjNumber}` }).click();
  await expect(sj.getByText('示范区禾木青屿信息技术有限公司').first()).toBeVisible();
  // The company facts as a table, the 3-hour clock, and no 未填写 for what the form never asked.
  const facts = sj.locator('section.company-sheet');
  await expect(facts.locator('dt:text-is("企业名称") + dd')).toHaveText('示范区禾木青屿信息技术有限公司');
  await expect(facts.locator('dt:text-is("注册资本") + dd')).toHaveText('100 万元');
  await expect(facts.locator('dt:text-is("法定代表人") + dd')).toHaveText('李云舟');
  const holders = facts.locator('table tbody tr');
  await expect(holders).toHaveCount(2);
  await expect(holders.nth(0)).toContainText('李云舟');
  await expect(holders.nth(0)).toContainText('60%');
  await expect(holders.nth(1)).toContainText('周晓岚');
  await expect(holders.nth(1)).toContainText('40');
  await expect(facts.locator('.company-sheet__scope li')).toHaveText(['软件开发']);
  await expect(sj.locator('.hour-clock')).toContainText('承诺 3 小时内办结');
  await expect(sj.getByRole('region', { name: '申请信息' })).not.toContainText('未填写');
  await expectNoAxeViolations(sj);
  await sj.screenshot({ path: testInfo.outputPath('company-review.png'), fullPage: true });
  await approveAll(sj, '营业执照已核发，电子营业执照可在“电子营业执照”小程序下载。');

  await page.goto(progressPath);
  await expect(page.getByRole('heading', { name: '营业执照已核发' })).toBeVisible();
  const uscc = (await page.locator('.uscc').textContent())!.trim();
  expect(uscc).toMatch(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/);
  await expect(member(page, '公章刻制')).toContainText('待预审');
  await expect(member(page, '发票领用')).toContainText('待预审');
  await expect(member(page, '社保单位参保登记')).toContainText('待预审');
  await expectNoAxeViolations(page);
  await page.screenshot({ path: testInfo.outputPath('company-progress.png'), fullPage: true });

  // ---- 公安 and 人社 both ask for the 法定代表人身份证件 again: one merged notice, one upload.
  const gaNumber = await memberNumber(page, '公章刻制');
  const rsNumber = await memberNumber(page, '社保单位参保登记');
  await returnFor(await staffPage(browser, testInfo, 'ga_reviewer'), gaNumber, '法定代表人身份证件', '身份证已过有效期，请上传新证');
  await returnFor(await staffPage(browser, testInfo, 'rs_reviewer'), rsNumber, '法定代表人身份证件', '请上传身份证正反面');
  await page.goto(progressPath);
  await expect(page.locator('.notice-dept h3')).toHaveText(['示范区公安分局', '示范区人力资源和社会保障局']);
  const redo = page.locator('section', { has: page.getByRole('heading', { name: '一次补正' }) });
  await expect(redo.locator('li.upload')).toHaveCount(1);
  await expect(redo).toContainText('上传一次，2 个事项同时更新');
  await expect(redo).toContainText('身份证已过有效期，请上传新证');
  await expect(redo).toContainText('请上传身份证正反面');
  await redo.getByLabel('重新上传：法定代表人身份证件').setInputFiles({ name: '法人身份证-新.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(redo.getByText('法人身份证-新.pdf')).toBeVisible();
  await redo.getByRole('button', { name: '重新提交（2 个事项）' }).click();
  await expect(page.getByRole('heading', { name: '一次性告知：需要补正' })).toHaveCount(0);
  await expect(member(page, '公章刻制')).toContainText('待预审');
  await expect(member(page, '社保单位参保登记')).toContainText('待预审');

  // ---- The name is taken now; the manager sees the bundle and its clock.
  const taken = await page.request.post('/api/name-check', {
    data: { district: '示范区', trade_name: '禾木青屿', industry: '信息技术', organisation: '有限公司' },
  });
  expect((await taken.json()).ok).toBe(false);
  const manager = await staffPage(browser, testInfo, 'manager');
  await manager.goto('/manager');
  const card = manager.locator('li.case-card', { hasText: uscc });
  await expect(card).toContainText('企业开办');
  await expect(card.locator('.hour-clock')).toContainText('承诺 3 个工作小时内办结');
  await expectNoAxeViolations(manager);

  // ---- 自动获取: signed in as the new company, its own 营业执照 is never asked for again.
  const biz = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    isMobile: true,
    hasTouch: true,
  });
  const owner = await biz.newPage();
  await owner.goto('/items/SFQ-SJ-0514');
  await expect(owner.locator('li.material', { has: owner.getByLabel('营业执照', { exact: true }) })).toContainText('电子营业执照自动获取，无需上传');
  await owner.getByRole('link', { name: '在线申请' }).click();
  await expect(owner.getByLabel('统一社会信用代码')).toBeVisible();
  await owner.getByLabel('统一社会信用代码').fill(uscc);
  await signInOnLoginPage(owner, testInfo, COMPANY_PHONE);
  await expect(owner).toHaveURL(/\/apply\/[0-9a-f]+$/);
  const licence = material(owner, '营业执照');
  await expect(licence).toContainText('已自动获取');
  await expect(licence).toContainText('营业执照（电子证照）.pdf');
  await expect(licence).not.toContainText('必传');
  await expect(owner.getByLabel('上传文件：营业执照')).toHaveCount(0);
  await expectNoAxeViolations(owner);
  await owner.getByLabel('企业名称').fill('示范区禾木青屿信息技术有限公司');
  await owner.getByLabel('法定代表人姓名').fill('李云舟');
  await owner.getByLabel('法定代表人身份证号码').fill('610113198805120016');
  await owner.getByLabel('经营地址').fill('示范区科创路18号创新大厦5层501室');
  await owner.getByLabel('经营地址').blur();
  await expect(owner.getByText(/已自动保存 \d\d:\d\d/)).toBeVisible();
  await owner.getByLabel('上传文件：仅销售预包装食品备案信息采集表').setInputFiles({ name: '备案信息.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(material(owner, '仅销售预包装食品备案信息采集表').getByText('备案信息.pdf')).toBeVisible();
  await owner.getByRole('button', { name: '提交申请' }).click();
  await expect(owner).toHaveURL(/\/my\/cases\/[0-9a-f]+\?submitted=1$/);
  const filing = (await owner.locator('.number-box__number').textContent())!.trim();
  // The reviewer opens the fetched licence like any upload.
  await sj.goto('/staff');
  await sj.getByRole('link', { name: `审核 ${filing}` }).click();
  const fetchedLicence = material(sj, '营业执照');
  await expect(fetchedLicence).toContainText('系统自动获取');
  await expect(fetchedLicence).toContainText('营业执照（电子证照）.pdf');
  await expect(fetchedLicence.locator('iframe.viewer__pdf')).toBeVisible();
  await expectNoAxeViolations(sj);
  await biz.close();
});

test('the bundle pages fit 320 px, also in 关怀模式', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  for (const care of [false, true]) {
    for (const path of ['/bundles', '/bundles/company?a=company_type.llc~address_proof.lease~proxy.no~bank.yes~fund.yes', '/bundles/birth']) {
      await page.goto(path);
      await expect(page.locator('.bundle-cards li, .bundle-members li').first()).toBeVisible();
      if (care && path === '/bundles') {
        await page.getByRole('button', { name: /关怀模式|标准模式/ }).click();
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    }
  }
});

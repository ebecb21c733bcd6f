import { test, expect, Page } from '@playwright/test';
import { PDF, expectNoAxeViolations, makeJpeg, material, signInOnLoginPage, staffPage } from './support/journey';

// Waiting is not a draft, and the window can find the person in front of it.
//
// A parent applies for 出生一件事 on a phone: the banner says how many members went out now and
// how many follow; in 我的办件 and on its own page a member held for its predecessor reads
// “等待“出生医学证明”办结后自动提交” — no form, no submit button, no item codes. At a desktop the
// 卫健 reviewer finds the case by the parent's name, phone and 受理编号, narrows the queue by item
// and warning colour, sees that the case belongs to 出生一件事 with its siblings' states, and is
// told before sending that a 待审核 material needs a verdict before 退回补正. Unknown addresses
// answer HTTP 404 with the friendly page.

const ITEM_CODE = /SFQ-[A-Z]{2}-\d{4}/;

function card(page: Page, itemName: RegExp) {
  return page.locator('li.case-card', { has: page.locator('.case-card__name', { hasText: itemName }) });
}

test('unknown addresses answer 404 with the friendly page; client routes 200', async ({ page }) => {
  const missing = await page.goto('/no-such-page/at-all');
  expect(missing!.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('没有找到这个页面');
  await expectNoAxeViolations(page);
  for (const path of ['/', '/items/SFQ-GA-0002', '/bundles/birth', '/staff/cases/x', '/my/cases/x/notice', '/track']) {
    const answer = await page.request.get(path);
    expect(answer.status(), path).toBe(200);
  }
  expect((await page.request.get('/items/SFQ-GA-0002/print/extra')).status()).toBe(404);
});

// FIXME (journeys, forms helpers): still intermittent on a loaded machine (reproduced 1 in 3 with
// six builds running): after the verdicts the second click on 确认退回补正 sends no POST /decision.
// The trace shows Playwright's click delivered to the enabled button (no retry, no interception),
// 退回补正 checked, the alert empty — so `DecisionBox::decide` either never ran or returned early
// without a pending material. Not shared demo data, not the decision box being rebuilt (memoised),
// not a repeat of the same phone (each repeat now signs in with its own number).
test.fixme('出生一件事: waiting members read as waiting; the window finds the case and its siblings', async ({ page, browser }, testInfo) => {
  test.setTimeout(300_000);
  // Its own number per repeat (`--repeat-each`): 我的办件 and the queue search stay unambiguous.
  const PHONE = `139001390${77 + testInfo.repeatEachIndex}`;

  // ---- The parent applies on a phone.
  await page.goto('/bundles/birth');
  await page.getByRole('radio', { name: '在示范区有助产资质的医院出生' }).check();
  await page.getByRole('radio', { name: '是，已登记结婚' }).check();
  await page.getByRole('radio', { name: '是，随父亲或母亲落户示范区' }).check();
  await page.getByRole('radio', { name: '暂不需要' }).check();
  await page.getByRole('link', { name: '在线申请' }).click();
  await signInOnLoginPage(page, testInfo, PHONE);
  await expect(page).toHaveURL(/\/my\/bundles\/[0-9a-f]+$/);
  await page.getByLabel('申报人姓名').fill('周明远');
  await page.getByLabel('申报人身份证号码').fill('610113198805120016');
  await page.getByLabel('联系地址').fill('示范区文昌路8号1单元101室');
  await page.getByLabel('新生儿姓名').fill('周小禾');
  await page.getByLabel('新生儿性别').selectOption('男');
  await page.getByLabel('新生儿出生日期').fill('2026-11-21');
  await page.getByLabel('出生医院或出生地点').fill('示范区人民医院');
  await page.getByLabel('孩子另一方父母姓名').fill('吴静');
  await page.getByLabel('孩子另一方父母姓名').blur();
  await expect(page.getByText(/已自动保存 \d\d:\d\d/)).toBeVisible();
  const jpeg = await makeJpeg(page);
  await page.getByLabel('上传文件：父母双方居民身份证').setInputFiles({ name: '身份证.jpg', mimeType: 'image/jpeg', buffer: jpeg });
  await expect(material(page, '父母双方居民身份证').getByText('身份证.jpg')).toBeVisible();
  await expect(material(page, '分娩记录')).toContainText('自动获取');
  for (const name of ['居民户口簿', '结婚证']) {
    await page.getByLabel(`上传文件：${name}`).setInputFiles({ name: `${name}.pdf`, mimeType: 'application/pdf', buffer: PDF });
    await expect(material(page, name).getByText(`${name}.pdf`)).toBeVisible();
  }
  await page.getByRole('button', { name: '提交申请' }).click();

  // The banner counts what went out now and what follows.
  const banner = page.getByRole('status').filter({ hasText: '已提交。' });
  await expect(banner).toContainText('1 个事项已送达各部门，另外 2 个事项将在前序事项办结后由系统自动提交');
  await expect(banner).not.toContainText('同时送达');
  const bundleNumber = (await page.locator('.number-box__number').textContent())!.trim();

  // ---- 我的办件: the held members wait; nothing to fill in.
  await page.goto('/my');
  const settle = card(page, /新生儿/);
  await expect(settle).toContainText('等待前序事项');
  await expect(settle.locator('.case-card__waiting')).toHaveText('等待“出生医学证明”办结后自动提交');
  await expect(settle.locator('.case-card__expected')).toHaveText(/^预计 \d{4}年\d{1,2}月\d{1,2}日前后自动提交（“出生医学证明”的承诺办结日期）$/);
  await expect(settle.getByRole('link', { name: '继续填写' })).toHaveCount(0);
  await expect(settle).toContainText('出生一件事');
  const mine = page.getByRole('region', { name: '我的申请' });
  await expect(mine).not.toContainText('草稿');
  await expect(mine).not.toContainText(ITEM_CODE);
  await expect(page.locator('#messages')).not.toContainText(ITEM_CODE);
  await expectNoAxeViolations(page);

  // Its own page: the waiting note, no form and no submit button.
  await settle.locator('.case-card__name a').click();
  await expect(page).toHaveURL(/\/my\/cases\/[0-9a-f]+$/);
  const casePath = new URL(page.url()).pathname;
  await expect(page.locator('.note--waiting')).toContainText('等待“出生医学证明”办结后自动提交');
  await expect(page.getByText('这份申请还没有提交。')).toHaveCount(0);
  await expect(page.getByRole('link', { name: '继续填写' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /提交/ })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: '属于“出生一件事”' })).toBeVisible();
  await expect(page.locator('main')).not.toContainText(ITEM_CODE);
  await expectNoAxeViolations(page);
  // The form page of a held member is not a form either.
  await page.goto(casePath.replace('/my/cases/', '/apply/'));
  await expect(page.locator('.note--waiting')).toContainText('等待“出生医学证明”办结后自动提交');
  await expect(page.getByLabel('申报人姓名')).toHaveCount(0);
  await expect(page.getByRole('button', { name: '提交申请' })).toHaveCount(0);

  // ---- The 卫健 window finds the parent by name, phone and the 一件事's 受理编号.
  const wj = await staffPage(browser, testInfo, 'wj_reviewer');
  const rows = wj.locator('table.queue tbody tr');
  for (const q of ['周明远', PHONE, PHONE.slice(-4), bundleNumber]) {
    await wj.getByRole('searchbox', { name: '查找办件' }).fill(q);
    await wj.getByRole('button', { name: '查找', exact: true }).click();
    await expect(wj).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(q)}`));
    await expect(rows, q).toHaveCount(1);
    await expect(rows.first()).toContainText('出生医学证明签发');
    await expect(rows.first()).toContainText('一件事：出生一件事');
  }
  await wj.getByRole('searchbox', { name: '查找办件' }).fill('没有这个人');
  await wj.getByRole('button', { name: '查找', exact: true }).click();
  await expect(wj.getByText('没有符合条件的办件。')).toBeVisible();
  await wj.getByRole('button', { name: '清除条件' }).click();
  await expect(wj).toHaveURL(/\/staff\?status=submitted$/);
  // Item and warning filters.
  await wj.getByLabel('事项').selectOption({ label: '出生医学证明签发' });
  await expect(wj).toHaveURL(/[?&]item=SFQ-WJ-0001/);
  await expect(rows.filter({ hasText: '周*远' })).toHaveCount(1);
  await wj.getByLabel('预警').selectOption('red');
  await expect(wj).toHaveURL(/[?&]warning=red/);
  await expect(wj.getByText('没有符合条件的办件。')).toBeVisible();
  await expectNoAxeViolations(wj);
  await wj.getByLabel('预警').selectOption('');
  await expect(rows.filter({ hasText: '周*远' })).toHaveCount(1);

  // ---- The case says it belongs to 出生一件事, with its siblings' states.
  await rows.filter({ hasText: '周*远' }).getByRole('link', { name: /审核/ }).click();
  const siblings = wj.locator('section.siblings');
  await expect(siblings.getByRole('heading')).toHaveText('属于“出生一件事”');
  await expect(siblings).toContainText(bundleNumber);
  await expect(siblings.locator('li', { hasText: '新生儿落户' })).toContainText('等待前序事项');
  await expect(siblings.locator('li', { hasText: '新生儿落户' })).toContainText('示范区公安分局');
  // Another department's member is named, not linked.
  await expect(siblings.getByRole('link', { name: '新生儿落户' })).toHaveCount(0);
  await expectNoAxeViolations(wj);

  // ---- 退回补正 with a material still 待审核: told before anything is sent.
  const ids = material(wj, '父母双方居民身份证');
  await ids.getByRole('radio', { name: '不合格', exact: true }).check();
  await ids.getByLabel('不合格原因（申请人会看到）').fill('身份证反面缺失');
  await ids.getByRole('button', { name: /保存审核意见/ }).click();
  await expect(ids.getByText('当前意见：不合格')).toBeVisible();
  await wj.getByRole('radio', { name: '退回补正' }).check();
  const pending = wj.locator('li.review-material', { hasText: '当前意见：待审核' });
  const pendingName = (await pending.first().locator('h3').textContent())!.trim();
  await expect(wj.locator('.note--warn')).toContainText(`请先审核仍为“待审核”的材料：`);
  await expect(wj.locator('.note--warn')).toContainText(pendingName);
  let decisions = 0;
  wj.on('request', (r) => { if (r.url().includes('/decision')) decisions++; });
  await wj.getByRole('button', { name: '确认退回补正' }).click();
  await expect(wj.getByRole('alert')).toContainText(pendingName);
  expect(decisions).toBe(0);
  // Verdicts on the rest; the first click on 确认退回补正 returns the case.
  const names = (await pending.locator('h3').allTextContents()).map((n) => n.trim());
  for (const name of names) {
    const item = material(wj, name);
    await item.getByRole('radio', { name: '合格', exact: true }).check();
    await item.getByRole('button', { name: /保存审核意见/ }).click();
    await expect(item.getByText('当前意见：合格')).toBeVisible();
  }
  await expect(wj.locator('.note--warn')).toHaveCount(0);
  await wj.getByRole('button', { name: '确认退回补正' }).click();
  await expect(wj.getByText('已退回补正。')).toBeVisible();
  expect(decisions).toBe(1);

  // ---- The 一次性告知书 prints at the window too: full date with the year, phone, seal area.
  await wj.getByRole('link', { name: '打印一次性告知书' }).click();
  await expect(wj).toHaveURL(/\/staff\/cases\/[0-9a-f]+\/notice$/);
  const sheet = wj.locator('article.print-sheet');
  await expect(sheet.getByRole('heading', { level: 1 })).toHaveText('一次性告知书');
  await expect(sheet).toContainText('身份证反面缺失');
  await expect(sheet.locator('dt:text-is("告知时间") + dd')).toHaveText(/^\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d$/);
  await expect(sheet.locator('.notice-phone')).toContainText('咨询电话：示范区卫生健康委员会 0000-8801 1005');
  await expect(sheet.locator('.seal-area')).toContainText('（盖章）');
  await expect(sheet.locator('.seal-area')).toContainText('示范区卫生健康委员会');
  await expect(sheet.locator('.seal-area')).toContainText(/\d{4}年/);
  await expectNoAxeViolations(wj);
  await wj.emulateMedia({ media: 'print' });
  await expect(wj.locator('.print-bar')).toBeHidden();
  await expect(wj.locator('.site-header')).toBeHidden();
  await expect(sheet.locator('.seal-area')).toBeVisible();
  await wj.screenshot({ path: testInfo.outputPath('staff-notice-print.png'), fullPage: true });
  await wj.emulateMedia({ media: 'screen' });
  await wj.getByRole('link', { name: '返回审核页面' }).click();
  await expect(wj.getByRole('heading', { level: 1 })).toHaveText('审核：出生医学证明签发');
});

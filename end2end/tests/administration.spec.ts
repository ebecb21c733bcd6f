import { test, expect, Browser, TestInfo } from '@playwright/test';

import { expectNoAxeViolations, staffPage } from './support/journey';

// Centre administration (issue 14) at 1280×800: the manager adds a reviewer of a department,
// who signs in with the one-time password, is made to choose a password and then sees their
// department's desk only; the manager enters the 2027 holiday schedule and a due date across
// 2027 becomes computable.

async function desktop(browser: Browser, testInfo: TestInfo) {
  const context = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  return context.newPage();
}

test('a manager adds a reviewer, who sets a password and sees their department only', async ({ browser }, testInfo) => {
  const manager = await staffPage(browser, testInfo, 'manager');
  await manager.goto('/manager');
  await manager.getByRole('link', { name: '工作人员账号' }).click();
  await expect(manager).toHaveURL(/\/manager\/staff$/);
  await expect(manager.getByRole('heading', { level: 1 })).toHaveText('工作人员账号');
  await expect(manager.getByRole('row', { name: /ga_reviewer/ })).toBeVisible();
  await expectNoAxeViolations(manager);

  // Wrong input is named on its field, before anything is sent.
  await manager.getByLabel('用户名').fill('Ga Li');
  await manager.getByRole('button', { name: '创建账号并生成一次性密码' }).click();
  await expect(manager.getByText('用户名应为 3–32 位小写字母')).toBeVisible();
  await expect(manager.getByText('请填写姓名')).toBeVisible();
  await expect(manager.getByText('请选择审核人员所属的部门')).toBeVisible();
  await expect(manager.getByLabel('用户名')).toBeFocused();

  await manager.getByLabel('用户名').fill('ga_li');
  await manager.getByLabel('姓名').fill('公安审核员 李*');
  await manager.getByLabel('所属部门').selectOption({ label: '示范区公安分局' });
  await manager.getByRole('button', { name: '创建账号并生成一次性密码' }).click();
  const issued = manager.locator('.admin-issued__password');
  await expect(issued).toBeVisible();
  const once = (await issued.textContent())!.trim();
  expect(once).toMatch(/^[a-z2-9]{12}$/);
  await expect(manager.getByRole('row', { name: /ga_li/ })).toContainText('待本人设置新密码');
  await expectNoAxeViolations(manager);

  // The reviewer signs in with it and must choose a password first.
  const reviewer = await desktop(browser, testInfo);
  await reviewer.goto('/staff/login');
  await reviewer.getByLabel('用户名').fill('ga_li');
  await reviewer.getByLabel('密码', { exact: true }).fill(once);
  await reviewer.getByRole('button', { name: '登录', exact: true }).click();
  await expect(reviewer.getByText('一次性密码，请设置您自己的新密码')).toBeVisible();
  await expect(reviewer.getByLabel('设置新密码')).toBeFocused();
  await expectNoAxeViolations(reviewer);
  await reviewer.getByLabel('设置新密码').fill('onlyletters');
  await reviewer.getByLabel('再次输入新密码').fill('onlyletters');
  await reviewer.getByRole('button', { name: '设置新密码并登录' }).click();
  await expect(reviewer.getByText('新密码须同时包含字母和数字')).toBeVisible();
  await reviewer.getByLabel('设置新密码').fill('Spring2027ok');
  await reviewer.getByLabel('再次输入新密码').fill('Spring2027ok');
  await reviewer.getByRole('button', { name: '设置新密码并登录' }).click();
  await expect(reviewer).toHaveURL(/\/staff$/);
  await expect(reviewer.getByText('公安审核员 李* · 示范区公安分局')).toBeVisible();
  // The desk offers the department's own items only.
  const items = reviewer.getByLabel('事项', { exact: true });
  await expect(items.locator('option', { hasText: '居民身份证申领、换领、补领' })).toHaveCount(1);
  await expect(items.locator('option', { hasText: '企业设立登记' })).toHaveCount(0);
  await expectNoAxeViolations(reviewer);

  // Disabled: the reviewer's session ends.
  await manager.getByRole('button', { name: '停用账号 ga_li' }).click();
  await expect(manager.getByRole('row', { name: /ga_li/ })).toContainText('已停用');
  await reviewer.reload();
  await expect(reviewer).toHaveURL(/\/staff\/login/);
});

test('a manager enters the 2027 holidays and a due date across 2027 is computed', async ({ browser }, testInfo) => {
  const manager = await staffPage(browser, testInfo, 'manager');
  await manager.goto('/manager');
  await manager.getByRole('link', { name: '节假日安排' }).click();
  await expect(manager).toHaveURL(/\/manager\/calendar$/);
  await expect(manager.getByRole('heading', { level: 1 })).toHaveText('节假日安排');
  await expect(manager.getByRole('row', { name: /2026年/ })).toContainText('随本版本发布');
  await expectNoAxeViolations(manager);

  // Before: a due date across 2027 cannot be computed.
  await manager.getByLabel('受理日期').fill('2026-12-21');
  await manager.getByLabel('承诺时限（工作日）').fill('20');
  await manager.getByRole('button', { name: '试算' }).click();
  await expect(manager.getByText('2027年的法定节假日安排尚未公布')).toBeVisible();

  await manager.getByLabel('年份').fill('2027');
  await manager.getByLabel('通知文号').fill('国办发明电〔2026〕7号');
  const holiday = (n: number) => manager.getByRole('group', { name: `第 ${n} 项放假安排` });
  // A mistake first: the 调休 day on a Friday.
  const dates: [string, string][] = [
    ['2027-01-01', '2027-01-03'],
    ['2027-02-06', '2027-02-13'],
    ['2027-04-03', '2027-04-05'],
    ['2027-05-01', '2027-05-05'],
    ['2027-06-09', '2027-06-11'],
    ['2027-09-15', '2027-09-17'],
    ['2027-10-01', '2027-10-07'],
  ];
  for (const [i, [first, last]] of dates.entries()) {
    await holiday(i + 1).getByLabel('放假开始').fill(first);
    await holiday(i + 1).getByLabel('放假结束（含当天）').fill(last);
  }
  await manager.getByRole('button', { name: '添加一个调休上班日' }).click();
  await manager.getByLabel('第 1 个调休上班日（周六或周日）').fill('2027-02-19');
  await manager.getByRole('button', { name: '检查并保存' }).click();
  await expect(manager.getByText(/调休上班日 2027-02-19 是周五/)).toBeVisible();
  await expect(manager.getByLabel('第 1 个调休上班日（周六或周日）')).toBeFocused();
  await manager.getByLabel('第 1 个调休上班日（周六或周日）').fill('2027-02-20');
  await manager.getByRole('button', { name: '检查并保存' }).click();
  await expect(manager.getByText('已保存2027年的节假日安排')).toBeVisible();
  await expect(manager.getByRole('row', { name: /2027年/ })).toContainText('中心管理者录入：国办发明电〔2026〕7号');
  await expectNoAxeViolations(manager);

  // After: computed, 元旦 2027 skipped.
  await manager.getByRole('button', { name: '试算' }).click();
  await expect(manager.locator('.trial-due')).toContainText('办结日期：2027年1月19日');
});

test('a search that found nothing gets an everyday word, and then finds its item', async ({ browser, page }, testInfo) => {
  await page.goto(`/search?q=${encodeURIComponent('良民证')}`);
  await expect(page.getByRole('heading', { name: '没有找到相关事项' })).toBeVisible();

  const manager = await staffPage(browser, testInfo, 'manager');
  await manager.goto('/manager');
  await manager.getByRole('link', { name: '搜索词' }).click();
  await expect(manager).toHaveURL(/\/manager\/search$/);
  const nothing = manager.locator('section', { has: manager.getByRole('heading', { name: /没有搜到结果的搜索/ }) });
  await expect(nothing.getByRole('row', { name: /良民证/ })).toBeVisible();
  await expectNoAxeViolations(manager);
  await nothing.getByRole('button', { name: '为它添加：良民证' }).click();
  await expect(manager.getByLabel('群众常说的词语')).toHaveValue('良民证');
  await expect(manager.getByLabel('搜索它时找到的事项')).toBeFocused();
  await manager.getByLabel('搜索它时找到的事项').selectOption({ label: '无犯罪记录证明开具（SFQ-GA-0007）' });
  await manager.getByRole('button', { name: '添加', exact: true }).click();
  await expect(manager.getByText('已添加：搜索“良民证”会找到“无犯罪记录证明开具”。')).toBeVisible();
  await expect(nothing.getByRole('row', { name: /良民证/ })).toHaveCount(0);
  await expectNoAxeViolations(manager);

  await page.goto(`/search?q=${encodeURIComponent('良民证')}`);
  await expect(page.getByRole('link', { name: /无犯罪记录证明开具/ }).first()).toBeVisible();
});

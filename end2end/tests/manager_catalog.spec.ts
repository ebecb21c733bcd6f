import * as fs from 'fs';

import { test, expect, Page } from '@playwright/test';

import { expectNoAxeViolations, staffPage } from './support/journey';

// 事项管理: the centre manager changes a fee and a material of 机动车驾驶证期满换证, saves the
// draft, sees the changes, publishes with a note, and a citizen's guide and search show the new
// version at once; a wrong edit (承诺时限 over 法定时限) is named at its field and publishes
// nothing; an older version is restored as a new one. The item is used by no other journey.

const CODE = 'SFQ-GA-0006';
const NEW_FEE = '驾驶证工本费 12 元/证（示范数据）。';
const NEW_MATERIAL = '机动车驾驶证申请表（新版）';

async function citizenGuide(page: Page) {
  const citizen = await page.context().browser()!.newPage({
    baseURL: test.info().project.use.baseURL,
    viewport: { width: 1280, height: 800 },
  });
  await citizen.goto(`/items/${CODE}`);
  await expect(citizen.getByRole('heading', { level: 1 })).toContainText('机动车驾驶证期满换证');
  return citizen;
}

test('a manager edits, publishes and restores an item; citizens see each version', async ({ browser }, testInfo) => {
  // Three browsers and several publications: longer than the 60 s default on a loaded machine.
  test.setTimeout(180_000);
  const page = await staffPage(browser, testInfo, 'manager');
  await page.goto('/manager');
  await page.getByRole('link', { name: /事项管理/ }).click();
  await expect(page).toHaveURL(/\/manager\/catalog$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('事项管理');
  await page.getByLabel('查找事项').fill('驾驶证');
  const row = page.getByRole('row').filter({ hasText: CODE });
  await expect(row).toContainText('第 1 版');
  await expectNoAxeViolations(page);
  await row.getByRole('link', { name: '机动车驾驶证期满换证' }).click();
  await expect(page).toHaveURL(new RegExp(`/manager/catalog/${CODE}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('编辑：机动车驾驶证期满换证');
  await expect(page.getByText('所有内容符合发布要求。')).toBeVisible();
  await expectNoAxeViolations(page);

  // A fee, a material and an everyday word.
  await page.getByLabel('收费说明').fill(NEW_FEE);
  await page.locator('#f-materials-0--name').fill(NEW_MATERIAL);
  const keywords = page.getByLabel('搜索关键词');
  await keywords.fill((await keywords.inputValue()) + '\n换本驾照');
  const diff = page.getByRole('table', { name: '改动列表' });
  await expect(diff.getByRole('row').filter({ hasText: '收费 · 说明' })).toContainText(NEW_FEE);
  await expect(diff.getByRole('row').filter({ hasText: '申报材料第 1 项 · 名称' })).toContainText(NEW_MATERIAL);
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.getByText('草稿已保存，尚未发布')).toBeVisible();

  // Not yet public.
  const citizen = await citizenGuide(page);
  await expect(citizen.getByText('驾驶证工本费 10 元/证。').first()).toBeVisible();

  await page.getByLabel('发布说明').fill('工本费与申请表调整（示范）');
  await page.getByRole('button', { name: '保存并发布' }).click();
  await expect(page.getByText('已发布第 2 版')).toHaveCount(2);
  await expect(page.getByRole('row').filter({ hasText: '工本费与申请表调整（示范）' })).toBeVisible();

  await citizen.reload();
  await expect(citizen.getByText(NEW_FEE).first()).toBeVisible();
  await expect(citizen.getByText(NEW_MATERIAL).first()).toBeVisible();
  await citizen.goto('/search?q=' + encodeURIComponent('换本驾照'));
  await expect(citizen.getByRole('link', { name: /机动车驾驶证期满换证/ }).first()).toBeVisible();

  // A wrong edit: named at the field as it is typed, and publishing stops there.
  await page.getByLabel(/^承诺时限/).fill('3');
  const message = '承诺时限（3 个工作日）不能超过法定时限（1 个工作日）';
  await expect(page.getByText(message)).toBeVisible();
  await expect(page.getByLabel(/^承诺时限/)).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('发布说明').fill('错误的修改');
  await page.getByRole('button', { name: '保存并发布' }).click();
  await expect(page.getByText(/草稿已保存，但有 \d+ 处需要修改/)).toBeVisible();
  await expect(page.getByLabel(/^承诺时限/)).toBeFocused();
  await expect(page.getByText('已发布第 2 版')).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: '删除草稿' }).click();
  await expect(page.getByText('草稿已删除')).toBeVisible();
  await expect(page.getByLabel(/^承诺时限/)).toHaveValue('0');
  await citizen.goto(`/items/${CODE}`);
  await expect(citizen.getByText(NEW_FEE).first()).toBeVisible();

  // Version 1 comes back as version 3.
  await page.getByRole('button', { name: '恢复此版本 第 1 版' }).click();
  await expect(page.getByText('已将第 1 版恢复为第 3 版并发布。')).toBeVisible();
  await expect(page.getByLabel('收费说明')).toHaveValue('驾驶证工本费 10 元/证。');
  await citizen.reload();
  await expect(citizen.getByText('驾驶证工本费 10 元/证。').first()).toBeVisible();
  await expect(citizen.getByText(NEW_FEE)).toHaveCount(0);
  await expectNoAxeViolations(page);
});

// 导入与导出 and 四级四同: the items CSV opens in Excel (BOM, Chinese header); a broken import
// file is checked before anything is written and each problem is named by item and field;
// the demo standard list's differences are listed per item.
test('a manager exports the catalog, checks a broken import and sees the 四级四同 differences', async ({ browser }, testInfo) => {
  const page = await staffPage(browser, testInfo, 'manager');
  await page.goto('/manager/catalog');
  await expect(page.getByRole('heading', { name: '导入与导出' })).toBeVisible();

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: '导出 CSV（事项）' }).click();
  const csv = fs.readFileSync((await (await download).path())!);
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(csv.toString('utf8', 3).split('\r\n')[0]).toMatch(/^事项编码,事项名称,事项类型,实施部门,/);

  const exported = await (await page.request.get('/api/admin/catalog/export?format=json')).json();
  exported.items[0].statutory_days = 1;
  exported.items[0].promised_days = 5;
  exported.items[0].materials[0].name = '';
  await page.getByLabel('选择要导入的 JSON 文件').setInputFiles({
    name: 'catalog-bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(exported)),
  });
  const problems = page.getByRole('table', { name: '导入问题' });
  await expect(problems.getByRole('row').filter({ hasText: '不能超过法定时限' })).toContainText(
    /第 1 个.*承诺时限.*承诺时限（5 个工作日）不能超过法定时限（1 个工作日）/,
  );
  await expect(problems.getByRole('row').filter({ hasText: '申报材料第 1 项 · 名称' })).toContainText('第 1 个');
  await expect(page.getByRole('button', { name: /确认导入/ })).toHaveCount(0);

  const differences = page.getByRole('table', { name: '四级四同差异' });
  await expect(page.getByText(/当前标准清单：示范区四级四同标准清单.*（示范）/)).toBeVisible();
  await expect(differences.getByRole('row').filter({ hasText: 'SFQ-GA-0007' })).toContainText('开具无犯罪记录证明');
  await expect(differences.getByRole('row').filter({ hasText: 'SFQ-GA-0008' })).toContainText('缺少事项');
  await expect(differences.getByRole('row').filter({ hasText: 'SFQ-GA-0501' })).toContainText('类型不一致');
  await expectNoAxeViolations(page);
});

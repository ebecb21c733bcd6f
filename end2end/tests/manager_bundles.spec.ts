import { test, expect } from '@playwright/test';

import { expectNoAxeViolations, staffPage } from './support/journey';

// 一件事管理: the centre manager renames 退休一件事 and changes its summary, sees the changes,
// publishes with a note, and a citizen's /bundles page shows the new name and summary at once.
// The bundle is used by no other journey.

const NEW_NAME = '退休“一次办”';
const NEW_SUMMARY = '到了退休年龄，一次申请办好退休核准、医保待遇、公积金提取和敬老卡（示范）。';

test('a manager renames a bundle and publishes it; citizens see it', async ({ browser }, testInfo) => {
  const page = await staffPage(browser, testInfo, 'manager');
  await page.goto('/manager/catalog');
  await page.getByRole('link', { name: /一件事管理/ }).click();
  await expect(page).toHaveURL(/\/manager\/bundles$/);
  const row = page.getByRole('row').filter({ hasText: 'retirement' });
  await expect(row).toContainText('第 1 版');
  await expectNoAxeViolations(page);
  await row.getByRole('link', { name: '退休一件事' }).click();
  await expect(page).toHaveURL(/\/manager\/bundles\/retirement$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('编辑：退休一件事');
  await expect(page.getByText('所有内容符合发布要求。')).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByLabel(/^名称/).fill(NEW_NAME);
  await page.getByLabel(/^简介/).fill(NEW_SUMMARY);
  const diff = page.getByRole('table', { name: '改动列表' });
  await expect(diff.getByRole('row').filter({ hasText: '简介' })).toContainText(NEW_SUMMARY);
  await page.getByLabel('发布说明').fill('名称和简介调整（示范）');
  await page.getByRole('button', { name: '保存并发布' }).click();
  await expect(page.getByText('已发布第 2 版')).toHaveCount(2);
  await expect(page.getByRole('row').filter({ hasText: '名称和简介调整（示范）' })).toBeVisible();
  await expectNoAxeViolations(page);

  const citizen = await browser.newPage({
    baseURL: testInfo.project.use.baseURL,
    viewport: { width: 1280, height: 800 },
  });
  await citizen.goto('/bundles');
  await expect(citizen.getByText(NEW_NAME).first()).toBeVisible();
  await expect(citizen.getByText(NEW_SUMMARY).first()).toBeVisible();
  await expect(citizen.getByText('退休一件事')).toHaveCount(0);
});

import { test, expect } from '@playwright/test';

import { expectNoAxeViolations, staffPage } from './support/journey';

// 统计指标: the centre manager opens the dashboard from the supervision page, reads a figure's
// definition, narrows the period, and downloads the same figures as CSV for Excel. The demo
// server carries a generated year of labelled demo cases, so the plots have months to show.

test('a manager reads the indicators, changes the period and downloads the CSV', async ({ browser }, testInfo) => {
  const page = await staffPage(browser, testInfo, 'manager');
  await page.goto('/manager');
  await page.getByRole('link', { name: /统计指标/ }).click();
  await expect(page).toHaveURL(/\/manager\/stats$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('统计指标');
  await expect(page.getByText('演示数据', { exact: true })).toBeVisible();

  // A figure's card opens to say how it is computed (keyboard: focus the summary, Enter).
  const card = page.locator('.stats-card').filter({ hasText: '按时办结率' });
  await expect(card.locator('summary')).toContainText('%');
  await card.locator('summary').focus();
  await page.keyboard.press('Enter');
  await expect(card.getByText(/在承诺办结日期当天或之前办结的办件/)).toBeVisible();
  await expect(card.getByText(/分子 \d+ ÷ 分母 \d+/)).toBeVisible();

  // Twelve months of plots, each an image with an accessible name.
  const plot = page.getByRole('img', { name: /^每月办件量：/ });
  await expect(plot).toBeVisible();
  await expect(plot.locator('rect')).toHaveCount(12);
  await expectNoAxeViolations(page);

  // Three months of one department.
  const today = new Date();
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const to = iso(new Date(today.getTime() - 86_400_000));
  const from = iso(new Date(today.getTime() - 80 * 86_400_000));
  await page.getByLabel('开始日期').fill(from);
  await page.getByLabel('结束日期').fill(to);
  await page.getByLabel('部门', { exact: true }).selectOption({ label: '示范区公安分局' });
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page).toHaveURL(new RegExp(`from=${from}&to=${to}&department=ga`));
  await expect(page.getByText(new RegExp(`示范区公安分局 · ${from} 至 ${to}`))).toBeVisible();
  const rects = await page.getByRole('img', { name: /^每月办件量：/ }).locator('rect').count();
  expect(rects).toBeGreaterThanOrEqual(3);
  expect(rects).toBeLessThanOrEqual(4);

  // The CSV: a UTF-8 byte order mark, then the Chinese header; the department's row.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /下载 CSV/ }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`stats-${from}-${to}.csv`);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  expect(text.startsWith('部门,办件量,')).toBe(true);
  expect(text).toContain('\r\n示范区公安分局,');
  await expectNoAxeViolations(page);
});

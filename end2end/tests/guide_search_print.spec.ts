import { test, expect, Page } from '@playwright/test';
import { expectNoAxeViolations } from './support/journey';

// 办事指南 journey at phone size: search "出生" → guide → answer a 情形 question → the checklist
// changes → print view with a QR code → the deep link survives a reload.

function materials(page: Page) {
  return page.locator('section', { has: page.getByRole('heading', { name: '申报材料', level: 2 }) });
}

test('search 出生, tailor the guide, print it with a QR code, reload the deep link', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page).toHaveTitle(/办事通/);
  await expectNoAxeViolations(page);

  await page.getByLabel('搜索办事事项').fill('出生');
  await page.getByRole('button', { name: '搜索', exact: true }).click();
  await expect(page).toHaveURL(/\/search\?q=/);
  const result = page.getByRole('link', { name: /出生医学证明签发/ }).first();
  await expect(result).toBeVisible();
  await expect(page).toHaveTitle(/出生/);
  await expectNoAxeViolations(page);

  await result.click();
  await expect(page).toHaveURL(/\/items\/SFQ-WJ-0001/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('出生医学证明签发');
  await expect(page).toHaveTitle(/出生医学证明签发/);
  await expect(page.getByText(/预计.*前办结|即办件/).first()).toBeVisible();

  // Before answering, both situation-specific materials are listed (marked 视情形).
  await expect(materials(page).getByText('分娩记录')).toBeVisible();
  await expect(materials(page).getByText('亲子鉴定证明')).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByRole('radio', { name: '在医院以外出生（家中、途中等）' }).check();
  await expect(materials(page).getByText('亲子鉴定证明')).toBeVisible();
  await expect(materials(page).getByText('分娩记录')).toHaveCount(0);

  await page.getByRole('radio', { name: '在示范区有助产资质的医院出生' }).check();
  await expect(materials(page).getByText('分娩记录')).toBeVisible();
  await expect(materials(page).getByText('亲子鉴定证明')).toHaveCount(0);

  // Ticks are remembered on the device.
  const first = materials(page).getByRole('checkbox').first();
  await first.check();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('出生医学证明签发');
  await expect(materials(page).getByRole('checkbox').first()).toBeChecked();

  // Print view: same answers, a QR code that opens the same guide with the same answers.
  await page.getByRole('radio', { name: '在示范区有助产资质的医院出生' }).check();
  await page.getByRole('link', { name: '打印材料清单' }).click();
  await expect(page).toHaveURL(/\/items\/SFQ-WJ-0001\/print\?a=place\.hospital/);
  await expect(page.getByText('分娩记录', { exact: true })).toBeVisible();
  await expect(page.getByText('亲子鉴定证明', { exact: true })).toHaveCount(0);
  const qr = page.getByRole('img', { name: /二维码/ });
  await expect(qr).toBeVisible();
  const src = await qr.getAttribute('src');
  expect(decodeURIComponent(src ?? '')).toContain('/items/SFQ-WJ-0001?a=place.hospital');
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  // The deep link survives a reload (the server answers any route with the app shell).
  await page.reload();
  await expect(page.getByText('分娩记录', { exact: true })).toBeVisible();
  await page.goto('/items/SFQ-WJ-0001?a=place.outside');
  await expect(page.getByRole('radio', { name: '在医院以外出生（家中、途中等）' })).toBeChecked();
  await expect(materials(page).getByText('分娩记录')).toHaveCount(0);
});

test('pinyin and everyday words find the official services; an empty search offers help', async ({ page }) => {
  await page.goto('/search?q=csyxzm');
  await expect(page.getByRole('link', { name: /出生医学证明签发/ }).first()).toBeVisible();
  await page.goto('/search?q=' + encodeURIComponent('身份证丢了'));
  await expect(page.getByRole('link', { name: /居民身份证申领、换领、补领/ }).first()).toBeVisible();
  await page.goto('/search?q=' + encodeURIComponent('宇宙飞船驾驶执照'));
  await expect(page.getByRole('link', { name: /12345/ }).first()).toBeVisible();
  await expectNoAxeViolations(page);
});

test('an unknown item says so in plain words', async ({ page }) => {
  await page.goto('/items/SFQ-XX-9999');
  await expect(page.getByText('没有找到').first()).toBeVisible();
  await expect(page.getByRole('link', { name: /12345/ }).first()).toBeVisible();
});

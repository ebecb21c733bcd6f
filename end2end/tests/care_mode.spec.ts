import { test, expect } from '@playwright/test';

// 关怀模式 (large text) is a choice the device remembers across pages and visits.
test('关怀模式 enlarges the text and persists across reloads and pages', async ({ page }) => {
  await page.goto('/');
  const toggle = page.getByRole('button', { name: /关怀模式/ });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  const standard = await size();

  await toggle.click();
  await expect(page.getByRole('button', { name: /关怀模式|标准模式/ })).toHaveAttribute('aria-pressed', 'true');
  expect(await size()).toBeGreaterThanOrEqual(22);
  expect(await size()).toBeGreaterThan(standard);

  await page.reload();
  await expect(page.getByRole('button', { name: /关怀模式|标准模式/ })).toHaveAttribute('aria-pressed', 'true');
  expect(await size()).toBeGreaterThanOrEqual(22);

  await page.goto('/items/SFQ-GA-0001');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(await size()).toBeGreaterThanOrEqual(22);

  await page.getByRole('button', { name: /关怀模式|标准模式/ }).click();
  await page.reload();
  await expect(page.getByRole('button', { name: /关怀模式|标准模式/ })).toHaveAttribute('aria-pressed', 'false');
  expect(await size()).toBe(standard);
});

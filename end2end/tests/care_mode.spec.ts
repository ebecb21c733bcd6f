import { test, expect, Page } from '@playwright/test';

// 关怀模式 (large text) is a choice the device remembers across pages and visits: every text at
// least 18 px, every tap target at least 48×48 px, the switch states the mode, and even the
// loading shell (drawn before any script) comes in large text.

const careToggle = (page: Page) => page.getByRole('button', { name: /^关怀模式：/ });

test('关怀模式 enlarges the text and persists across reloads and pages', async ({ page }) => {
  await page.goto('/');
  const toggle = careToggle(page);
  await expect(toggle).toHaveText('关怀模式：关');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  const standard = await size();

  await toggle.click();
  await expect(toggle).toHaveText('关怀模式：开');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  expect(await size()).toBeGreaterThanOrEqual(22);
  expect(await size()).toBeGreaterThan(standard);

  await page.reload();
  await expect(careToggle(page)).toHaveAttribute('aria-pressed', 'true');
  expect(await size()).toBeGreaterThanOrEqual(22);

  await page.goto('/items/SFQ-GA-0001');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(await size()).toBeGreaterThanOrEqual(22);

  await careToggle(page).click();
  await expect(careToggle(page)).toHaveText('关怀模式：关');
  await page.reload();
  await expect(careToggle(page)).toHaveAttribute('aria-pressed', 'false');
  expect(await size()).toBe(standard);
});

test('the loading shell honours 关怀模式 before any script runs', async ({ page }) => {
  await page.goto('/');
  await careToggle(page).click();
  await expect(careToggle(page)).toHaveText('关怀模式：开');
  // Hold the client back: what shows is the static shell the server sent.
  await page.route(/\.(js|wasm)$/, (route) => route.abort());
  await page.goto('/items/SFQ-GA-0001', { waitUntil: 'domcontentloaded' });
  await expect(page.locator('.boot-hint')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.classList.contains('care'))).toBe(true);
  const hint = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.boot-hint')!).fontSize));
  expect(hint).toBeGreaterThanOrEqual(18);
});

/** Visible text smaller than 18 px, and visible targets smaller than 48×48 px, on this page. */
async function tooSmall(page: Page) {
  return page.evaluate(() => {
    const visible = (e: Element) => {
      const r = e.getBoundingClientRect();
      const s = getComputedStyle(e);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' &&
        !e.closest('.visually-hidden, [aria-hidden="true"]');
    };
    const label = (e: Element) =>
      `${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : ''} "${(e.textContent ?? '').trim().slice(0, 20)}"`;
    const text: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement!;
      if (!n.textContent!.trim() || !visible(el)) continue;
      // SVG text scales with the drawing: measure what reaches the screen.
      const px = el instanceof SVGElement
        ? (el as unknown as SVGGraphicsElement).getBoundingClientRect().height / 1.25
        : parseFloat(getComputedStyle(el).fontSize);
      if (px < 17.5) text.push(`${label(el)} ${px.toFixed(1)}px`);
    }
    const targets: string[] = [];
    for (const el of document.querySelectorAll('a[href], button, select, summary, input:not([type=hidden]):not([type=file])')) {
      if (!visible(el) || el.closest('.skip-link')) continue;
      const r = el.getBoundingClientRect();
      // A checkbox or radio is tapped through its label as well.
      const tapLabel = el.matches('input[type=checkbox], input[type=radio]')
        ? el.closest('label') ?? (el.id ? document.querySelector(`label[for="${el.id}"]`) : null)
        : null;
      const box = tapLabel ? tapLabel.getBoundingClientRect() : r;
      if (box.width < 47.5 || box.height < 47.5) targets.push(`${label(el)} ${box.width.toFixed(0)}×${box.height.toFixed(0)}`);
    }
    return { text: [...new Set(text)], targets: [...new Set(targets)] };
  });
}

for (const [path, heading] of [
  ['/', /办事/],
  ['/items/SFQ-GA-0002', /./],
  ['/search?q=' + encodeURIComponent('出生'), /搜索/],
  ['/bundles/birth', /出生/],
  ['/map', /地图/],
  ['/sites/HALL', /中心/],
  ['/login', /登录/],
  ['/track', /进度|查询/],
] as [string, RegExp][]) {
  test(`关怀模式 on ${path}: every text ≥ 18 px and every target ≥ 48×48 px`, async ({ page }) => {
    await page.goto('/');
    await careToggle(page).click();
    await page.goto(path);
    await expect(page.locator('main h1')).toHaveText(heading);
    await page.waitForTimeout(500);
    const small = await tooSmall(page);
    expect(small.text, 'text below 18 px').toEqual([]);
    expect(small.targets, 'targets below 48×48 px').toEqual([]);
  });
}

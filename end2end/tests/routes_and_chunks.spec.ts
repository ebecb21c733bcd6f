import { test, expect, Page } from '@playwright/test';

// Every route in a fresh browser: its chunk loads, nothing is logged as an error, and the page has
// one h1. In-app navigation moves focus to the new page's h1. A chunk that fails to arrive (lost
// signal, or a deployment that replaced the build) leaves no dead page: the person is told, the
// page reloads into the same address once, and afterwards "重试" brings the page.

/** Deep links, signed out. Pages behind sign-in send the visitor to a sign-in page (also a route). */
const ROUTES: [string, RegExp][] = [
  ['/', /办事/],
  ['/search?q=' + encodeURIComponent('身份证'), /搜索/],
  ['/themes/birth', /./],
  ['/departments/ga', /公安/],
  ['/items/SFQ-GA-0002', /./],
  ['/items/SFQ-GA-0002/print', /./],
  ['/forms/F-GA-0001', /./],
  ['/bundles', /一件事/],
  ['/bundles/birth', /出生/],
  ['/bundles/birth/apply', /登录/],
  ['/map', /地图|政务服务/],
  ['/map/coverage', /./],
  ['/sites/HALL', /中心/],
  ['/sites/HALL/book', /预约/],
  ['/appointments', /登录|预约/],
  ['/appointments/1', /登录|预约/],
  ['/login', /登录/],
  ['/apply/new?item=SFQ-MZ-0004', /登录/],
  ['/apply/1', /登录/],
  ['/my', /登录/],
  ['/my/cases/1', /登录/],
  ['/my/cases/1/notice', /登录/],
  ['/my/bundles/1', /登录/],
  ['/track', /进度|查询/],
  ['/staff/login', /工作人员登录/],
  ['/staff', /工作人员登录/],
  ['/staff/cases/1', /工作人员登录/],
  ['/manager', /工作人员登录/],
  ['/manager/stats', /工作人员登录/],
  ['/manager/catalog', /工作人员登录/],
  ['/manager/catalog/SFQ-GA-0001', /工作人员登录/],
  ['/no/such/page', /没有找到/],
];

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    // Only the deliberately missing page and chunk may log a failed resource (404). A page
    // behind sign-in asks /api/session (always 200) before its own API, so a signed-out visitor
    // is sent to sign in without a refused request.
    if (m.type() === 'error' && !/status of 404/.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

test('every route loads in a fresh browser with one h1 and no console error', async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const chunks = new Set<string>();
  for (const [path, heading] of ROUTES) {
    const context = await browser.newContext({ ...testInfo.project.use, baseURL: testInfo.project.use.baseURL });
    const page = await context.newPage();
    const errors = watchErrors(page);
    page.on('request', (r) => {
      const name = r.url().split('/').pop()!;
      if (name.endsWith('.wasm') && name !== 'app_bg.wasm') chunks.add(name);
    });
    await page.goto(path);
    const h1 = page.locator('main h1');
    await expect(h1, `one h1 on ${path}`).toHaveCount(1);
    await expect(h1, `h1 of ${path}`).toHaveText(heading);
    await expect(page.locator('.boot-hint')).toHaveCount(0);
    expect(errors, `console errors on ${path}`).toEqual([]);
    await context.close();
  }
  // The pages behind sign-in, the staff desk, the map and the bundles come in chunks of their own.
  expect(chunks.size, [...chunks].join(', ')).toBeGreaterThanOrEqual(4);
});

test('in-app navigation focuses the new page heading and announces it', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await page.getByRole('link', { name: /政务服务地图/ }).first().click();
  await expect(page).toHaveURL(/\/map$/);
  await expect(page.locator('main h1')).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: /^已打开：/ })).toHaveText(/已打开：.+/);

  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('main h1')).toBeFocused();

  // The skip link moves focus into the page, not just the scroll position.
  await page.locator('.skip-link').focus();
  await expect(page.locator('.skip-link')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('main h1')).toBeFocused();
  expect(errors).toEqual([]);
});

test('a chunk that fails to load explains itself, reloads once, then offers a retry', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('main h1')).toBeVisible();

  // As after a deployment: the open tab's chunks are gone from the server.
  let blocked = true;
  await page.route(/\/assets\/[0-9a-f]+\/(?!app_bg)[^/]+\.wasm$/, (route) =>
    blocked ? route.fulfill({ status: 404, body: '' }) : route.continue(),
  );

  await page.getByRole('link', { name: /政务服务地图/ }).first().click();
  await expect(page.getByRole('alert')).toContainText('这部分页面没有加载成功');
  await expect(page.getByRole('alert')).toContainText('正在为您重新打开');

  // It reloads into the address asked for; the chunk is still missing, so no second reload.
  await page.waitForEvent('load');
  await expect(page).toHaveURL(/\/map$/);
  await expect(page.getByRole('alert')).toContainText('这部分页面没有加载成功');
  const retry = page.getByRole('button', { name: '重试' });
  await expect(retry).toBeVisible();
  await page.waitForTimeout(2_000);
  await expect(page).toHaveURL(/\/map$/);
  await expect(retry).toBeVisible();

  // The network is back: one tap brings the page.
  blocked = false;
  await retry.click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.locator('main h1')).toBeVisible();
  await expect(page.locator('main h1')).not.toContainText('没有加载成功');
});

test('going offline shows one calm banner that leaves when the network returns', async ({ page, context }) => {
  await page.goto('/items/SFQ-GA-0002');
  await expect(page.locator('main h1')).toBeVisible();
  await context.setOffline(true);
  const banner = page.getByText('网络已断开。');
  await expect(banner).toBeVisible();
  await expect(page.locator('main h1')).toBeVisible();
  await context.setOffline(false);
  await expect(banner).toHaveCount(0);
});

test('the map works from the keyboard: arrows pan, Enter opens a marker and keeps focus on it', async ({ page }) => {
  await page.goto('/map');
  await page.getByRole('button', { name: '地图', exact: true }).click();
  const svg = page.locator('svg.dmap__svg');
  await expect(svg).toBeVisible();
  await svg.focus();
  // + zooms in (the whole district fits at first, so there is nothing to pan to yet)…
  const whole = await svg.getAttribute('viewBox');
  await page.keyboard.press('+');
  await expect(svg).not.toHaveAttribute('viewBox', whole!);
  // …then the arrows move the map.
  const zoomed = await svg.getAttribute('viewBox');
  await page.keyboard.press('ArrowRight');
  await expect(svg).not.toHaveAttribute('viewBox', zoomed!);
  await expect(svg).toBeFocused();

  // Tab to a site marker (clusters zoom in; a site marker opens its card).
  const marker = page.locator('svg.dmap__svg g.mk[data-code]').first();
  await expect(marker).toBeAttached();
  await marker.focus();
  const code = await marker.getAttribute('data-code');
  await page.keyboard.press('Enter');
  const focused = page.locator(`svg.dmap__svg g.mk[data-code="${code}"]`);
  await expect(focused).toHaveAttribute('aria-pressed', 'true');
  await expect(focused).toBeFocused();
  expect(await page.evaluate(() => document.activeElement?.tagName.toLowerCase())).not.toBe('body');
});

import { test, expect, Page } from '@playwright/test';
import { expectNoAxeViolations as axe, signInOnLoginPage, staffPage } from './support/journey';
import { beijingToday, moveAppointmentToToday } from './support/outbox';

// 政务服务地图 → site → 预约 → ticket → cancel, on a phone, from a point in 文昌街道.
//
// The position 34.2075, 108.9595 (WGS-84) lies about 95 m from 文昌街道便民服务中心 (ST-03,
// 34.208036, 108.9603). Haversine distances to the next sites, worked out by hand from
// server/demo/sites.json: 学府社区便民服务站 (CM-0302, 34.214878, 108.959466) ≈ 820 m and
// 墨池社区便民服务站 (CM-0303, 34.209568, 108.969693) ≈ 965 m; the fourth (CM-0703) is 1223 m.
// Only 9 sites handle 居民身份证申领、换领、补领 (SFQ-GA-0001); after ST-03 the nearest of them is
// the district hall (HALL, 34.19725, 108.94185) ≈ 1983 m away.
const HERE = { latitude: 34.2075, longitude: 108.9595 };
const PHONE = '13800138000';
const ITEM = 'SFQ-GA-0001';

test.use({ geolocation: HERE, permissions: ['geolocation'] });

const names = (page: Page) => page.locator('.site-list .site-item__name');

test('find the nearest sites, filter, open a site, book, see the QR ticket and cancel', async ({ page }, testInfo) => {
  test.setTimeout(240_000);

  // 1. The map page, list first on a phone; the position orders it nearest first.
  await page.goto('/map');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('政务服务地图');
  await expect(page).toHaveTitle(/政务服务地图/);
  await page.getByRole('button', { name: '使用我的位置' }).click();
  await expect(page.getByText('已按离您由近到远排列。')).toBeVisible();
  await expect(page.getByText(/按离您由近到远排列。$/).first()).toBeVisible();
  await expect(names(page).nth(0)).toHaveText('文昌街道便民服务中心');
  await expect(names(page).nth(1)).toHaveText('学府社区便民服务站');
  await expect(names(page).nth(2)).toHaveText('墨池社区便民服务站');
  const first = page.locator('.site-list .site-item').first();
  await expect(first).toContainText('约 100 米，步行 2 分钟');
  await expect(first).toContainText('街道便民服务中心');
  await expect(first).toContainText(/正在办公|现在不办公/);
  await expect(first).toContainText('今天');
  await expect(first.getByRole('link', { name: '0000-8813 8687' })).toHaveAttribute('href', 'tel:0000-88138687');
  await axe(page);

  // 2. Only the sites that handle 居民身份证: the district hall is now second.
  await page.getByLabel('要办的事').selectOption(ITEM);
  await expect(page).toHaveURL(new RegExp(`item=${ITEM}`));
  await expect(page.getByText(/^共 9 个服务点能办理“居民身份证申领、换领、补领”/)).toBeVisible();
  await expect(names(page).nth(0)).toHaveText('文昌街道便民服务中心');
  await expect(names(page).nth(1)).toHaveText('示范区政务服务中心');
  await expect(page.getByLabel('要办的事')).toHaveValue(ITEM);

  // 3. The drawn map: markers by level with a legend; tapping a marker opens its card.
  await page.getByRole('button', { name: '地图', exact: true }).click();
  const svg = page.locator('svg.dmap__svg');
  await expect(svg).toBeVisible();
  await expect(page.locator('.map-legend').first()).toContainText('政务服务驿站');
  await expect(page.locator('.mk[data-code]')).not.toHaveCount(0);
  await page.getByRole('button', { name: '放大', exact: true }).click();
  await page.getByRole('button', { name: '看全图' }).click();
  await page.locator('.mk[data-code="ST-03"]').click();
  const card = page.locator('.site-card');
  await expect(card).toContainText('文昌街道便民服务中心');
  await axe(page);
  await card.getByRole('link', { name: '查看详情、导航和预约' }).click();

  // 4. The site page: phone, navigation links, hours with today marked, items.
  await expect(page).toHaveURL(/\/sites\/ST-03$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('文昌街道便民服务中心');
  await expect(page).toHaveTitle(/文昌街道便民服务中心/);
  await expect(page.getByRole('link', { name: '拨打电话' })).toHaveAttribute('href', 'tel:0000-88138687');
  await expect(page.getByRole('link', { name: '高德地图' })).toHaveAttribute('href', /^https:\/\/uri\.amap\.com\/marker\?position=/);
  await expect(page.getByRole('link', { name: '用手机地图打开' })).toHaveAttribute('href', /^geo:34\.208036,108\.960300\?q=/);
  await expect(page.locator('.hours__today')).toHaveCount(1);
  await expect(page.getByText('离您约 100 米，步行 2 分钟')).toBeVisible();
  await expect(page.getByRole('link', { name: '居民身份证申领、换领、补领' })).toHaveAttribute('href', `/items/${ITEM}`);
  await axe(page);

  // 5. 预约: the item, the first open day, the first half hour with seats.
  await page.getByRole('link', { name: '预约办理' }).click();
  await expect(page).toHaveURL(/\/sites\/ST-03\/book$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('预约办理');
  await page.getByLabel('办理事项').selectOption(ITEM);
  const day = page.locator('input[name="day"]:not([disabled])').first();
  await page.locator(`label[for="${await day.getAttribute('id')}"]`).click();
  await expect(day).toBeChecked();
  const slot = page.locator('input[name="slot"]:not([disabled])').first();
  await expect(slot).toBeAttached();
  const slotLabel = page.locator(`label[for="${await slot.getAttribute('id')}"]`);
  await expect(slotLabel).toContainText(/余 3 个/);
  await slotLabel.click();
  await expect(slot).toBeChecked();
  await expect(page.locator('.booking__confirm')).toContainText('居民身份证申领、换领、补领');

  // Not signed in yet: 确认预约 goes to the login page and back to the same choice.
  await page.getByRole('button', { name: '确认预约' }).click();
  await signInOnLoginPage(page, testInfo, PHONE);
  await expect(page).toHaveURL(/\/sites\/ST-03\/book\?item=SFQ-GA-0001&date=\d{4}-\d\d-\d\d&slot=.+&step=confirm$/);
  await expect(page.locator('input[name="slot"]:checked')).toHaveCount(1);
  await page.getByRole('button', { name: '确认预约' }).click();

  // 6. The ticket: number, where and when, QR code of this page's absolute URL.
  await expect(page).toHaveURL(/\/appointments\/[^/]+$/);
  const id = new URL(page.url()).pathname.split('/').pop()!;
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('预约凭证');
  await expect(page.locator('.ticket__number')).toHaveText(/^A-\d{8}-\d{4}$/);
  await expect(page.locator('.ticket')).toContainText('文昌街道便民服务中心');
  await expect(page.locator('.ticket')).toContainText('居民身份证申领、换领、补领');
  const qr = page.getByRole('img', { name: '预约凭证二维码' });
  const origin = new URL(page.url()).origin;
  await expect(qr).toHaveAttribute('src', `/api/qr?text=${encodeURIComponent(`${origin}/appointments/${id}`)}`);
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect(page.getByRole('link', { name: '查看办事指南和材料清单' })).toHaveAttribute('href', `/items/${ITEM}`);
  await axe(page);

  // 7. Cancel, after confirming.
  await page.getByRole('button', { name: /^取消预约/ }).click();
  await page.getByRole('button', { name: '确定取消' }).click();
  await expect(page.locator('.ticket__status')).toHaveText('已取消');
  await expect(page.getByRole('img', { name: '预约凭证二维码' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^取消预约/ })).toHaveCount(0);

  // 8. My appointments lists it, cancelled.
  await page.getByRole('link', { name: '查看我的全部预约' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的预约');
  const entry = page.locator('.appt').filter({ hasText: '居民身份证申领、换领、补领' }).first();
  await expect(entry).toContainText('已取消');
});

// A signed-out citizen books at the hall from the guide's 预约 link, signs in and lands on the
// confirm step; at the window a reviewer of the hall (1280×800) opens the ticket's QR address,
// checks the person in, and the hall's day lists them as 已到.
test('book signed out, confirm after sign-in, checked in at the hall', async ({ page, browser }, testInfo) => {
  test.setTimeout(180_000);
  const phone = '13600136000';
  await page.goto(`/items/${ITEM}`);
  await expect(page.getByText('支持，在“在哪里办”中点服务点的“预约”')).toBeVisible();
  await page.locator('section.item-sites').getByRole('link', { name: '预约：示范区政务服务中心' }).click();
  await expect(page).toHaveURL(new RegExp(`/sites/HALL/book\\?item=${ITEM}$`));
  await expect(page.getByLabel('办理事项')).toHaveValue(ITEM);
  const day = page.locator('input[name="day"]:not([disabled])').first();
  await page.locator(`label[for="${await day.getAttribute('id')}"]`).click();
  const slot = page.locator('input[name="slot"]:not([disabled])').first();
  await page.locator(`label[for="${await slot.getAttribute('id')}"]`).click();
  await page.getByRole('button', { name: '确认预约' }).click();
  await signInOnLoginPage(page, testInfo, phone);

  // The confirm step only: the choice, 确认预约, and a way back to change it.
  await expect(page).toHaveURL(/step=confirm$/);
  await expect(page.getByRole('heading', { name: '确认预约' })).toBeVisible();
  await expect(page.getByText('2. 选择日期')).toBeHidden();
  const confirm = page.locator('.booking__confirm');
  await expect(confirm).toContainText('居民身份证申领、换领、补领');
  await expect(confirm).not.toContainText('未选择');
  await expect(page.getByRole('button', { name: '修改事项、日期或时段' })).toBeVisible();
  await axe(page);
  await page.getByRole('button', { name: '确认预约' }).click();
  await expect(page).toHaveURL(/\/appointments\/[^/]+$/);
  const id = new URL(page.url()).pathname.split('/').pop()!;
  const ticket = (await page.locator('.ticket__number').textContent())!.trim();
  await expect(page.getByRole('img', { name: '预约凭证二维码' })).toBeVisible();
  await expect(page.getByLabel('预约前一天（9:00–20:00）发短信提醒我')).toBeChecked();

  // The day comes; the hall's reviewer opens the QR code's address.
  moveAppointmentToToday(testInfo, id);
  const desk = await staffPage(browser, testInfo, 'ga_reviewer');
  await desk.goto(`/appointments/${id}`);
  await expect(desk).toHaveURL(new RegExp(`/staff/appointments/${id}$`));
  await expect(desk.getByRole('heading', { level: 1 })).toHaveText('预约核验');
  const card = desk.locator('.desk-ticket');
  await expect(card).toContainText(ticket);
  await expect(card).toContainText(phone);
  await expect(card).toContainText('居民身份证申领、换领、补领');
  await expect(card.locator('.ticket__status')).toHaveText(/待到|未到/);
  await axe(desk);
  await desk.getByRole('button', { name: `签到：${ticket}` }).click();
  await expect(card.locator('.ticket__status')).toHaveText('已到');
  await expect(card).toContainText('由公安审核员 王*签到');
  await expect(desk.getByRole('button', { name: /^签到/ })).toHaveCount(0);

  // The hall's day: the person is 已到.
  await desk.getByRole('link', { name: '查看当天全部预约' }).click();
  await expect(desk).toHaveURL(new RegExp(`/staff/bookings\\?date=${beijingToday()}$`));
  await expect(desk.getByRole('heading', { level: 1 })).toHaveText('预约签到');
  const row = desk.locator('tr', { hasText: ticket });
  await expect(row).toContainText('已到');
  await expect(desk.locator('.desk-counts')).toContainText(/已到 [1-9]/);
  await axe(desk);
  await desk.context().close();

  // The citizen's ticket now reads as used.
  await page.reload();
  await expect(page.locator('.ticket__status')).toHaveText('已签到');
});

test('the guide says where to go, and the coverage view shows the 15-minute circle', async ({ page }) => {
  // The position shared on the map is used by the guide's "在哪里办" in the same session.
  await page.goto('/map');
  await page.getByRole('button', { name: '使用我的位置' }).click();
  await expect(names(page).first()).toHaveText('文昌街道便民服务中心');

  await page.goto(`/items/${ITEM}`);
  const where = page.locator('section.item-sites');
  await expect(where.getByRole('heading', { name: '在哪里办' })).toBeVisible();
  await expect(where.locator('.site-item')).toHaveCount(3);
  await expect(where.locator('.site-item__name').first()).toHaveText('文昌街道便民服务中心');
  await expect(where.locator('.site-item__name').nth(1)).toHaveText('示范区政务服务中心');
  await where.getByRole('link', { name: /查看全部办理地点/ }).click();
  await expect(page).toHaveURL(new RegExp(`/map\\?item=${ITEM}$`));
  await expect(page.getByLabel('要办的事')).toHaveValue(ITEM);

  await page.getByRole('link', { name: '15分钟政务服务圈' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('15分钟政务服务圈');
  await expect(page.locator('.cover-headline')).toHaveText(/^全区 \d+(\.\d)?% 的区域步行15分钟内有政务服务点$/);
  await expect(page.locator('.cover-table tbody tr')).toHaveCount(8);
  await expect(page.locator('.map-uncovered rect')).not.toHaveCount(0);
  await axe(page);
});

test('no horizontal scrolling at 320 px, also in 关怀模式', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  const fits = async () => {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  };
  for (const care of [false, true]) {
    await page.goto('/map');
    if (care) {
      await page.getByRole('button', { name: /关怀模式|标准模式/ }).click();
    }
    await expect(names(page).first()).toBeVisible();
    await fits();
    await page.getByRole('button', { name: '地图', exact: true }).click();
    await expect(page.locator('svg.dmap__svg')).toBeVisible();
    await fits();
    await page.goto('/sites/HALL');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('示范区政务服务中心');
    await fits();
    await page.goto('/sites/HALL/book');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('预约办理');
    await fits();
    await page.goto('/map/coverage');
    await expect(page.locator('.cover-table')).toBeVisible();
    await fits();
  }
});

test.describe('without the position', () => {
  test.use({ permissions: [] });

  // The centre (area centroid) of 文昌街道's polygon in server/demo/district-map.json is
  // 34.21710, 108.96187: 学府社区便民服务站 ≈ 331 m, 文昌社区便民服务站 ≈ 695 m, 文昌街道便民服务中心
  // ≈ 1018 m away.
  test('a refused position falls back to choosing one’s street', async ({ page }) => {
    await page.goto('/map');
    await page.getByRole('button', { name: '使用我的位置' }).click();
    await expect(page.getByText(/您没有允许使用位置|暂时无法获取您的位置/)).toBeVisible();
    await page.getByLabel('您所在的街道').selectOption('文昌街道');
    await expect(page.getByText(/按离文昌街道中心由近到远排列。$/)).toBeVisible();
    await expect(names(page).nth(0)).toHaveText('学府社区便民服务站');
    await expect(names(page).nth(1)).toHaveText('文昌社区便民服务站');
    await expect(names(page).nth(2)).toHaveText('文昌街道便民服务中心');
  });
});

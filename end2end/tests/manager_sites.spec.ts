import { test, expect } from '@playwright/test';

import { expectNoAxeViolations, staffPage } from './support/journey';

// Site administration (issue 14) at 1280×800: a manager opens a street centre, gives it longer
// Saturday hours with a lunch break and a one-day closure for a system upgrade; the preview
// "本周对外显示" shows both as the manager types, and after saving a citizen's site page does.

const SITE = '青禾街道便民服务中心';
const REASON = '系统升级，暂停对外服务';

/** `YYYY-MM-DD` in Beijing, `days` from today. */
function beijingDate(days: number): string {
  const now = new Date(Date.now() + 8 * 3600_000 + days * 86400_000);
  return now.toISOString().slice(0, 10);
}

/** The weekday (0 = Sunday) of a `YYYY-MM-DD`. */
function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

test('a manager changes Saturday hours and adds a closure; the preview and the citizen page show it', async ({ browser }, testInfo) => {
  // A weekday within the coming week, not a Saturday, for the closure.
  const closed = [1, 2, 3, 4, 5, 6].map(beijingDate).find((d) => ![0, 6].includes(weekday(d)))!;

  const manager = await staffPage(browser, testInfo, 'manager');
  await manager.goto('/manager');
  await manager.getByRole('link', { name: '服务点与预约' }).click();
  await expect(manager).toHaveURL(/\/manager\/sites$/);
  await expect(manager.getByRole('heading', { level: 1 })).toHaveText('服务点与预约');
  await expectNoAxeViolations(manager);
  await manager.getByRole('link', { name: SITE }).click();
  await expect(manager).toHaveURL(/\/manager\/sites\/ST-02$/);
  await expect(manager.getByRole('heading', { level: 1 })).toHaveText(SITE);

  const preview = manager.getByRole('region', { name: '本周对外显示' });
  const saturday = preview.getByRole('row', { name: /周六/ });
  await expect(saturday).toContainText('9:00–12:00');

  // A closing time before the opening is named on its field, before anything is sent.
  await manager.getByLabel('周六关门').fill('08:00');
  await manager.getByRole('button', { name: '检查并保存（立即生效）' }).click();
  await expect(manager.getByText('周六的关门时间应晚于开门时间 9:00')).toBeVisible();
  await expect(manager.getByLabel('周六关门')).toBeFocused();

  await manager.getByLabel('周六午休开始').fill('12:00');
  await manager.getByLabel('周六午休结束').fill('13:00');
  await manager.getByLabel('周六关门').fill('16:00');
  await expect(manager.getByText('周六的关门时间应晚于开门时间 9:00')).toHaveCount(0);
  await expect(saturday).toContainText('9:00–12:00，13:00–16:00');

  await manager.getByRole('button', { name: '添加临时停止服务' }).click();
  await manager.getByLabel('开始日期').fill(closed);
  await manager.getByLabel('结束日期（含当天）').fill(closed);
  await manager.getByLabel('原因（群众会看到）').fill(REASON);
  await expect(preview.getByText(`暂停服务（${REASON}）`)).toBeVisible();
  await expect(preview.locator('.closure-notice')).toContainText(REASON);
  await expectNoAxeViolations(manager);

  await manager.getByRole('button', { name: '检查并保存（立即生效）' }).click();
  await expect(manager.getByText('已保存并立即生效')).toBeVisible();

  // A citizen's site page shows the same week and the notice.
  const context = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const citizen = await context.newPage();
  await citizen.goto('/sites/ST-02');
  await expect(citizen.getByRole('heading', { level: 1 })).toHaveText(SITE);
  await expect(citizen.locator('.closure-notice')).toContainText(REASON);
  await expect(citizen.getByRole('row', { name: /周六/ })).toContainText('9:00–12:00，13:00–16:00');
  await expect(citizen.getByText(`暂停服务（${REASON}）`)).toBeVisible();
  await expectNoAxeViolations(citizen);
});

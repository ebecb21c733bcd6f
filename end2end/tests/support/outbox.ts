import { execFileSync } from 'child_process';
import * as path from 'path';
import { TestInfo } from '@playwright/test';

// The embedded development SMS sender writes every message to the `sms_outbox` table (and the
// server log). A journey reads the newest code for a phone the way an operator would: with the
// database's own command-line client, for whichever database the project's server uses.
const root = path.resolve(__dirname, '../../..');
// The PostgreSQL database playwright.config.ts gives the server (E2E_PORT moves it).
const port = Number(process.env.E2E_PORT ?? 3201);
const pgDb = port === 3201 ? 'bst_e2e' : `bst_e2e_${port}`;

function query(testInfo: TestInfo, sql: string): string {
  if (testInfo.project.name === 'postgres') {
    return execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', pgDb, '-Atc', sql]).toString().trim();
  }
  return execFileSync('sqlite3', [path.join(root, 'target/e2e/sqlite/e2e.db'), sql]).toString().trim();
}

/** The newest one-time code sent to `phone` (status notices to the same phone are passed over). */
export function latestCode(testInfo: TestInfo, phone: string): string {
  const body = query(
    testInfo,
    `SELECT body FROM sms_outbox WHERE phone = '${phone.replace(/\D/g, '')}' AND body LIKE '%验证码%' ORDER BY seq DESC LIMIT 1`,
  );
  const code = body.match(/\d{6}/);
  if (!code) throw new Error(`no code in the outbox for ${phone}: ${body}`);
  return code[0];
}

/** Every status notice (短信通知) sent to `phone` that names the 受理编号 `number`, oldest first. */
export function statusTexts(testInfo: TestInfo, phone: string, number: string): string[] {
  const digits = phone.replace(/\D/g, '');
  const safe = number.replace(/[^A-Za-z0-9-]/g, '');
  const rows = query(
    testInfo,
    `SELECT body FROM sms_outbox WHERE phone = '${digits}' AND body LIKE '%${safe}%' ORDER BY seq`,
  );
  return rows === '' ? [] : rows.split('\n');
}

/** Today in Beijing, YYYY-MM-DD. */
export function beijingToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * The day of an appointment arrives: bookings open from tomorrow, and 签到 only on the booked
 * day, so a journey moves its own booking (and its half hour) to today instead of waiting.
 */
export function moveAppointmentToToday(testInfo: TestInfo, id: string) {
  const safe = id.replace(/[^A-Za-z0-9]/g, '');
  const today = beijingToday();
  query(
    testInfo,
    `UPDATE appointment_slots SET date = '${today}' WHERE id = (SELECT slot_id FROM appointments WHERE id = '${safe}'); ` +
      `UPDATE appointments SET date = '${today}' WHERE id = '${safe}';`,
  );
}

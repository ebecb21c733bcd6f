import { execFileSync } from 'child_process';
import * as path from 'path';
import { TestInfo } from '@playwright/test';

// The embedded development SMS sender writes every message to the `sms_outbox` table (and the
// server log). A journey reads the newest code for a phone the way an operator would: with the
// database's own command-line client, for whichever database the project's server uses.
const root = path.resolve(__dirname, '../../..');

function query(testInfo: TestInfo, sql: string): string {
  if (testInfo.project.name === 'postgres') {
    return execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'bst_e2e', '-Atc', sql]).toString().trim();
  }
  return execFileSync('sqlite3', [path.join(root, 'target/e2e/sqlite/e2e.db'), sql]).toString().trim();
}

/** The newest one-time code sent to `phone`. */
export function latestCode(testInfo: TestInfo, phone: string): string {
  const body = query(testInfo, `SELECT body FROM sms_outbox WHERE phone = '${phone.replace(/\D/g, '')}' ORDER BY seq DESC LIMIT 1`);
  const code = body.match(/\d{6}/);
  if (!code) throw new Error(`no code in the outbox for ${phone}: ${body}`);
  return code[0];
}

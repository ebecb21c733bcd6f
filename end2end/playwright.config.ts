import { defineConfig, devices } from '@playwright/test';
import * as path from 'path';

// Every journey runs against two real servers: one on an SQLite file, one on PostgreSQL.
// SERVER_BIN points at the built server (default: the debug build CI makes, in CARGO_TARGET_DIR
// when that is set).
const root = path.resolve(__dirname, '..');
const serverBin =
  process.env.SERVER_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'debug/server');
const work = path.join(root, 'target/e2e');
const pg = 'postgres://postgres@127.0.0.1:5432';
// Two checkouts can run their journeys side by side: E2E_PORT moves the ports (and the
// PostgreSQL database name) of the second one.
const port = Number(process.env.E2E_PORT ?? 3201);
const pgDb = port === 3201 ? 'bst_e2e' : `bst_e2e_${port}`;
// E2E_PROJECT=sqlite|postgres starts only that project's server, so the two projects can run as
// two side-by-side processes (the test command does that); unset, one process runs both.
const only = process.env.E2E_PROJECT;
if (only && only !== 'sqlite' && only !== 'postgres') throw new Error(`E2E_PROJECT=${only}?`);
const wanted = (name: string) => !only || only === name;

const chromium = {
  ...devices['Pixel 7'],
  viewport: { width: 390, height: 844 },
  launchOptions: {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  },
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
};

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  // Each process keeps its own failure traces (a process clears its output folder when it starts).
  outputDir: `test-results/${only ?? 'all'}`,
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    { name: 'sqlite', use: { ...chromium, baseURL: `http://127.0.0.1:${port}` } },
    { name: 'postgres', use: { ...chromium, baseURL: `http://127.0.0.1:${port + 1}` } },
  ].filter((project) => wanted(project.name)),
  webServer: [
    {
      name: 'sqlite',
      command: `rm -rf ${work}/sqlite && mkdir -p ${work}/sqlite && exec ${serverBin}`,
      env: { PORT: String(port), DATABASE_URL: `sqlite://${work}/sqlite/e2e.db`, RUST_LOG: 'warn' },
      url: `http://127.0.0.1:${port}/api/health`,
      timeout: 60_000,
      reuseExistingServer: false,
    },
    {
      name: 'postgres',
      command:
        `psql -h 127.0.0.1 -U postgres -d test -qc 'DROP DATABASE IF EXISTS ${pgDb}' && ` +
        `psql -h 127.0.0.1 -U postgres -d test -qc 'CREATE DATABASE ${pgDb}' && exec ${serverBin}`,
      env: { PORT: String(port + 1), DATABASE_URL: `${pg}/${pgDb}`, RUST_LOG: 'warn' },
      url: `http://127.0.0.1:${port + 1}/api/health`,
      timeout: 60_000,
      reuseExistingServer: false,
    },
  ].filter((server) => wanted(server.name)),
});

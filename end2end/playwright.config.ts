// Staffgate's end-to-end tests, in Debian's Chromium (/usr/bin/chromium; Playwright's own
// browser builds are never downloaded).
//
// Needs target/debug/staffgate and target/site, built by `scripts/build-site`, plus Debian's
// aiosmtpd (python3-aiosmtpd) and oathtool, both installed by `scripts/test`. Run
// `npx playwright test` here. Every spec runs twice: project `hydrated` (the WebAssembly client
// running) and project `no-js` (JavaScript off, forms posted by the browser); specs named
// `*.hydrate.spec.ts` need JavaScript and run only in `hydrated`.
//
// support/start-server.sh starts a test SMTP server and Staffgate on a fresh data folder, on
// two free loopback ports picked below, so a developer's running Staffgate is never touched.
// The tests make their own users through the `staffgate user add` command.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { defineConfig } from '@playwright/test';

// The runner loads this file first and its workers inherit its environment, so the folder and
// the ports are chosen once per run and every process agrees on them. The folder is only named
// here: support/start-server.sh makes it and deletes it.
if (!process.env.STAFFGATE_E2E_DIR) {
  const name = `staffgate-e2e-${process.pid}-${randomBytes(4).toString('hex')}`;
  process.env.STAFFGATE_E2E_DIR = join(tmpdir(), name);
  const [http, smtp] = freeLoopbackPorts(2);
  process.env.STAFFGATE_E2E_HTTP_PORT = String(http);
  process.env.STAFFGATE_E2E_SMTP_PORT = String(smtp);
  process.env.STAFFGATE_E2E_RUNNER_PID = String(process.pid);
}
const baseURL = `http://127.0.0.1:${process.env.STAFFGATE_E2E_HTTP_PORT}`;

/** Ports nobody listens on now: the kernel picks them, a short-lived Node.js reports them. */
function freeLoopbackPorts(count: number): number[] {
  const script = `
    const net = require('node:net');
    const servers = Array.from({ length: ${count} }, () => net.createServer());
    Promise.all(servers.map((s) => new Promise((ok) => s.listen(0, '127.0.0.1', ok)))).then(() => {
      console.log(servers.map((s) => s.address().port).join(' '));
      servers.forEach((s) => s.close());
    });`;
  const printed = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  return printed.trim().split(' ').map(Number);
}

export default defineConfig({
  testDir: './tests',
  fullyParallel: true,
  // Two cores: the server, Chromium and the runner share them.
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    {
      name: 'hydrated',
      testIgnore: /\.settings\.spec\.ts$/,
      use: { browserName: 'chromium', headless: true, javaScriptEnabled: true },
    },
    {
      name: 'no-js',
      testIgnore: [/\.hydrate\.spec\.ts$/, /\.settings\.spec\.ts$/],
      use: { browserName: 'chromium', headless: true, javaScriptEnabled: false },
    },
    {
      // Specs that change installation-wide settings: alone, after all the others, and each
      // in both modes itself.
      name: 'settings',
      testMatch: /\.settings\.spec\.ts$/,
      dependencies: ['hydrated', 'no-js'],
      use: { browserName: 'chromium', headless: true },
    },
  ],
  webServer: {
    command: './support/start-server.sh',
    url: `${baseURL}/login`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    // SIGTERM lets the script stop the SMTP server and delete the data folder.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
  },
});

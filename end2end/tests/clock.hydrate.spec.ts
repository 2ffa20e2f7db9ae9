// The clock check: the browser measures how far its clock is from the server's, warns at 10 s
// and alerts at 30 s, counts down from server-corrected time, and keeps working offline.
// Playwright's clock control moves the browser's clock; the server keeps real time.
import type { Page } from '@playwright/test';

import { createUser } from '../support/cli';
import { expect, test } from '../support/fixtures';

const MINUS = '\u2212';
const STORAGE_KEY = 'staffgate.clock';

/** Reads the precise offset the page measured (ms, positive = device ahead) and its bound. */
async function measuredOffset(page: Page) {
  const status = page.getByRole('status', { name: 'Device clock offset' });
  await expect(status).toHaveText(/^[+\u2212]\d+\.\d s$/);
  const offsetMs = Number(await status.getAttribute('data-offset-ms'));
  const errorMs = Number(await status.getAttribute('data-error-ms'));
  return { status, offsetMs, errorMs };
}

/** The "Last measurement" entry of /clock. */
function lastMeasurement(page: Page) {
  return page.locator('dd.measured');
}

/** The device time (Unix ms) of the last measurement, as the page notes it. */
async function measuredAtMs(page: Page) {
  return Number(await lastMeasurement(page).getAttribute('data-measured-at-ms'));
}

/** A stored measurement as the page keeps it, for a device `deviceAheadSecs` fast. */
function storedMeasurement(deviceAheadSecs: number, ageMs: number) {
  return JSON.stringify({
    estimate: { offset_ms: -deviceAheadSecs * 1000, error_ms: 2, round_trip_ms: 4 },
    measured_at_ms: Date.now() - ageMs,
    ntp: null,
    period_secs: 30,
  });
}

/**
 * Moves the browser's clock `skewMs` away from real time before the page loads, and returns the
 * range the skew really has. Playwright stamps the change with its own reading of the clock,
 * taken a moment after the call is made (longer on a busy machine), so the skew is known only
 * to within the call's duration. The call is repeated (the last one counts) until it took at
 * most 2 ms.
 */
async function injectSkew(page: Page, skewMs: number) {
  await page.clock.install();
  let tookMs = Infinity;
  for (let attempt = 0; attempt < 50 && tookMs > 2; attempt++) {
    const before = Date.now();
    await page.clock.setSystemTime(before + skewMs);
    tookMs = Date.now() - before;
  }
  // Date.now() has whole milliseconds: one more of doubt.
  return { lowMs: skewMs - tookMs - 1, highMs: skewMs };
}

for (const skewSecs of [-600, -45, -12, 5, 45, 600]) {
  test(`a device clock ${skewSecs} s off is measured within the round-trip bound`, async ({ page }) => {
    // Set before the page exists, so the page measures a clock that was off from the start.
    const injectedMs = skewSecs * 1000;
    const injected = await injectSkew(page, injectedMs);
    await page.goto('/clock');
    const { status, offsetMs, errorMs } = await measuredOffset(page);

    const allowedMs = errorMs + 20;
    const errorFromInjected =
      offsetMs < injected.lowMs ? offsetMs - injected.lowMs : Math.max(0, offsetMs - injected.highMs);
    const description =
      `skew ${skewSecs} s: measured ${offsetMs} ms, error ${errorFromInjected.toFixed(1)} ms ` +
      `(injected ${injected.lowMs}..${injected.highMs} ms), ` +
      `bound ±${allowedMs.toFixed(1)} ms (half the round trip ${errorMs} ms + 20 ms)`;
    test.info().annotations.push({ type: 'offset', description });
    console.log(description);
    expect(offsetMs).toBeGreaterThanOrEqual(injected.lowMs - allowedMs);
    expect(offsetMs).toBeLessThanOrEqual(injected.highMs + allowedMs);

    const sign = skewSecs < 0 ? MINUS : '+';
    await expect(status).toHaveText(new RegExp(`^\\${sign}${Math.abs(skewSecs)}\\.\\d s$`));

    const direction = skewSecs < 0 ? 'behind' : 'ahead of';
    const alert = page.getByRole('alert');
    const notice = page.getByRole('status').filter({ hasText: "This device's clock is" });
    if (Math.abs(skewSecs) >= 30) {
      await expect(alert).toContainText(`${direction} the server`);
      await expect(alert).toContainText('will be refused');
      for (const platform of ['Android', 'iOS', 'Windows', 'macOS', 'Linux']) {
        await expect(alert.getByRole('listitem').filter({ hasText: platform })).toHaveCount(1);
      }
      await expect(alert).toContainText('Set time automatically');
      await expect(alert.getByText('UTC')).toBeVisible();
      await expect(notice).toHaveCount(0);
    } else if (Math.abs(skewSecs) >= 10) {
      await expect(notice).toHaveText(`This device's clock is ${Math.abs(skewSecs)} s ${direction} the server.`);
      await expect(alert).toHaveCount(0);
    } else {
      await expect(notice).toHaveCount(0);
      await expect(alert).toHaveCount(0);
    }
  });
}

test('the countdown turns over at the step boundary', async ({ page }) => {
  await page.clock.install({ time: Date.now() });
  await page.goto('/clock');
  const { offsetMs } = await measuredOffset(page);

  // Server time = device time − device offset. The device time of a boundary at least 3 s
  // ahead, reached without passing the next measurement (a minute after this one).
  const deviceNow = await page.evaluate(() => Date.now());
  const boundaryServer = Math.ceil((deviceNow - offsetMs + 3_000) / 30_000) * 30_000;
  const boundaryDevice = Math.round(boundaryServer + offsetMs);

  const timer = page.getByRole('timer');
  await page.clock.pauseAt(boundaryDevice - 1_500);
  await expect(timer).toHaveText('The code changes in 2 seconds.');
  await page.clock.runFor(1_495);
  await expect(timer).toHaveText('The code changes in 1 second.');
  await page.clock.runFor(10);
  await expect(timer).toHaveText('The code changes in 30 seconds.');
  // And so on at every second of server time.
  await page.clock.runFor(985);
  await expect(timer).toHaveText('The code changes in 30 seconds.');
  await page.clock.runFor(15);
  await expect(timer).toHaveText('The code changes in 29 seconds.');
});

test('only real changes are announced, not the ticking age and clocks', async ({ page }) => {
  // 45 s ahead, so the alert (with the server time inside it) is shown too.
  await page.clock.install({ time: Date.now() + 45_000 });
  await page.goto('/clock');
  await measuredOffset(page);
  await expect(page.getByRole('alert')).toContainText('45 s ahead of the server');

  // What screen readers would announce: the text of every live region, leaving out the parts
  // marked aria-live="off".
  const announced = () =>
    page.evaluate(() => {
      const regions = document.querySelectorAll(
        '[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"], [role="log"]',
      );
      return Array.from(regions).map((region) => {
        const copy = region.cloneNode(true) as Element;
        copy.querySelectorAll('[aria-live="off"]').forEach((quiet) => quiet.remove());
        return copy.textContent;
      });
    });
  const before = await announced();
  const ageBefore = await lastMeasurement(page).textContent();
  const serverTimeBefore = await page.locator('.server-time-utc').first().textContent();

  await page.clock.runFor(3_000);
  await expect(lastMeasurement(page)).not.toHaveText(ageBefore!);
  await expect(lastMeasurement(page)).toContainText(/measured \d s ago/);
  await expect(page.locator('.server-time-utc').first()).not.toHaveText(serverTimeBefore!);
  expect(await announced()).toEqual(before);
  // The time of the measurement itself is shown as a clock time.
  await expect(lastMeasurement(page)).toContainText(/^\d\d:\d\d:\d\d \(your time zone\), measured/);
});

test('the clock is measured again when the tab becomes visible and after a minute', async ({ page }) => {
  await page.clock.install({ time: Date.now() });
  await page.goto('/clock');
  await measuredOffset(page);
  const first = await measuredAtMs(page);

  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  await expect.poll(() => measuredAtMs(page)).toBeGreaterThan(first);
  const second = await measuredAtMs(page);

  // A minute later by the page's clock, which is then a minute ahead of the server's.
  await page.clock.runFor(60_000);
  await expect.poll(() => measuredAtMs(page)).toBeGreaterThanOrEqual(second + 60_000);
  // The page's clock skipped ahead of real time by a minute, less the moments runFor took.
  await expect(page.getByRole('status', { name: 'Device clock offset' })).toHaveText(/^\+(59|60)\.\d s$/);
});

test('going offline is said at once on sign-in and on the clock check', async ({ page, context }) => {
  await page.goto('/login');
  // The client has measured once, so it is running.
  await page.waitForFunction((key) => localStorage.getItem(key) !== null, STORAGE_KEY);
  const offlineAlert = page.getByRole('alert').filter({ hasText: 'You are offline' });
  await expect(offlineAlert).toHaveCount(0);

  // The next measurement is a minute away: only the browser's offline event can say it now.
  await context.setOffline(true);
  await expect(offlineAlert).toContainText('needs a connection', { timeout: 2_000 });
  await context.setOffline(false);
  await expect(offlineAlert).toHaveCount(0, { timeout: 5_000 });

  await page.goto('/clock');
  await measuredOffset(page);
  await expect(lastMeasurement(page)).not.toContainText('offline now');
  await context.setOffline(true);
  await expect(lastMeasurement(page)).toContainText('offline now', { timeout: 2_000 });
  await context.setOffline(false);
  await expect(lastMeasurement(page)).not.toContainText('offline now', { timeout: 5_000 });
});

test('the clock check works offline and says so', async ({ page, context }) => {
  await page.goto('/clock');
  await measuredOffset(page);
  // The service worker has filled its cache once it is ready.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  const files = await page.evaluate(async () => {
    const sizes: Record<string, number> = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const body = await (await cache.match(request))!.arrayBuffer();
        sizes[new URL(request.url).pathname] = body.byteLength;
      }
    }
    return sizes;
  });
  const total = Object.values(files).reduce((sum, bytes) => sum + bytes, 0);
  const description = `${total} bytes: ${JSON.stringify(files)}`;
  test.info().annotations.push({ type: 'offline cache', description });
  console.log(`offline cache ${description}`);
  expect(Object.keys(files).sort()).toEqual(
    [
      '/clock',
      '/icon.svg',
      '/login',
      '/manifest.webmanifest',
      '/offline.html',
      '/pkg/staffgate.css',
      '/pkg/staffgate.js',
      '/pkg/staffgate.wasm',
    ].sort(),
  );

  // The last measurement, three hours old, from a device 45 s fast.
  await page.evaluate(([key, text]) => localStorage.setItem(key, text), [
    STORAGE_KEY,
    storedMeasurement(45, 3 * 3_600_000),
  ]);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Clock check' })).toBeVisible();
  const { status } = await measuredOffset(page);
  await expect(status).toHaveText('+45.0 s');
  await expect(lastMeasurement(page)).toContainText('measured 3 h ago, offline now');
  // Offline, the stored offset warns, and says how old it is.
  await expect(page.getByRole('alert')).toContainText("This device's clock is 45 s ahead of the server.");
  await expect(page.getByRole('alert')).toContainText('Measured 3 h ago, offline now.');

  // The countdown keeps running from the corrected clock.
  const timer = page.getByRole('timer');
  await expect(timer).toHaveText(/^The code changes in \d+ seconds?\.$/);
  const first = await timer.textContent();
  await expect(timer).not.toHaveText(first!);
  await expect(timer).toHaveText(/^The code changes in \d+ seconds?\.$/);

  await page.goto('/login');
  await expect(page.getByRole('alert')).toContainText('You are offline');
  await context.setOffline(false);
});

test('online, the service worker takes browser files from the network and the cache only offline', async ({
  page,
  context,
}) => {
  await page.goto('/clock');
  await measuredOffset(page);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

  // Make the cache hold another build's files, as after a deploy while the old worker runs.
  await page.evaluate(async () => {
    const old = {
      '/pkg/staffgate.css': '/* an old build */',
      '/pkg/staffgate.js': 'throw new Error("an old build");',
      '/pkg/staffgate.wasm': 'an old build',
    };
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const [path, body] of Object.entries(old)) {
        await cache.put(path, new Response(body));
      }
    }
  });
  const fetchCss = () => page.evaluate(async () => (await fetch('/pkg/staffgate.css')).text());
  expect(await fetchCss()).not.toContain('an old build');

  // A reload online runs this build's client, not the cached one.
  await page.reload();
  await measuredOffset(page);

  await context.setOffline(true);
  expect(await fetchCss()).toBe('/* an old build */');
  await context.setOffline(false);
});

test.describe('without the service worker', () => {
  test.use({ serviceWorkers: 'block' });

  test('online, an old stored offset raises no warning before a fresh measurement', async ({ page }) => {
    await page.addInitScript(
      ([key, text]) => localStorage.setItem(key, text),
      [STORAGE_KEY, storedMeasurement(600, 3 * 3_600_000)],
    );
    let answer = () => {};
    const answered = new Promise<void>((resolve) => (answer = resolve));
    await page.route('**/api/time', async (route) => {
      await answered;
      await route.continue();
    });

    await page.goto('/clock');
    // The stored measurement is shown for what it is, but warns of nothing while online.
    await expect(page.getByRole('status', { name: 'Device clock offset' })).toHaveText('+600.0 s');
    await expect(lastMeasurement(page)).toContainText('measured 3 h ago');
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.getByRole('status').filter({ hasText: "This device's clock is" })).toHaveCount(0);

    answer();
    await expect(page.getByRole('status', { name: 'Device clock offset' })).toHaveText(/^[+\u2212]0\.\d s$/);
    await expect(lastMeasurement(page)).toContainText('measured just now');
    await expect(page.getByRole('alert')).toHaveCount(0);
  });

  test('on a 60 s installation the clock check counts down 60 s steps', async ({ page }) => {
    // The server says its period is 60 s, and its clock is moved so that a 60 s boundary comes
    // 15 s after the test starts (the server's real clock is not the test's to move).
    const start = Date.now();
    const shiftMs = Math.ceil((start + 15_000) / 60_000) * 60_000 - (start + 15_000);
    await page.route('**/api/time', async (route) => {
      const report = await (await route.fetch()).json();
      report.period_secs = 60;
      report.server_unix_ms += shiftMs;
      await route.fulfill({ json: report, headers: { 'cache-control': 'no-store' } });
    });
    await page.clock.install({ time: Date.now() });
    await page.goto('/clock');
    const { offsetMs } = await measuredOffset(page);
    await expect(page.getByText('Authenticator codes change every 60 seconds here')).toBeVisible();

    const deviceNow = await page.evaluate(() => Date.now());
    const boundaryServer = Math.ceil((deviceNow - offsetMs + 3_000) / 60_000) * 60_000;
    const boundaryDevice = Math.round(boundaryServer + offsetMs);
    const timer = page.getByRole('timer');
    await page.clock.pauseAt(boundaryDevice - 1_005);
    await expect(timer).toHaveText('The code changes in 2 seconds.');
    await page.clock.runFor(1_000);
    await expect(timer).toHaveText('The code changes in 1 second.');
    await page.clock.runFor(10);
    await expect(timer).toHaveText('The code changes in 60 seconds.');
  });
});

test('the code step warns about a device clock before a code is typed', async ({ app, page }) => {
  const user = await createUser('staff', 'clockwarn');
  await app.signIn(user);
  await app.enableTwoFactor();
  await app.signOut();

  await page.clock.setSystemTime(Date.now() + 45_000);
  await app.enterPassword(user.username, user.password);
  await expect(app.field('Verification code')).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('45 s ahead of the server');
  await expect(page.getByRole('timer')).toHaveText(/The code changes in \d+ seconds?\./);
});

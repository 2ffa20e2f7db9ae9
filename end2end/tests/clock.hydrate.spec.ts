// The clock check: the browser measures how far its clock is from the server's, warns at 10 s
// and alerts at 30 s, counts down from server-corrected time, and keeps working offline.
// Playwright's clock control moves the browser's clock; the server keeps real time.
import { createUser } from '../support/cli';
import { expect, test } from '../support/fixtures';

const MINUS = '\u2212';

/** Reads the precise offset the page measured (ms, positive = device ahead) and its bound. */
async function measuredOffset(page: import('@playwright/test').Page) {
  const status = page.getByRole('status', { name: 'Device clock offset' });
  await expect(status).toHaveText(/^[+\u2212]\d+\.\d s$/);
  const offsetMs = Number(await status.getAttribute('data-offset-ms'));
  const errorMs = Number(await status.getAttribute('data-error-ms'));
  return { status, offsetMs, errorMs };
}

for (const skewSecs of [-600, -45, -12, 5, 45, 600]) {
  test(`a device clock ${skewSecs} s off is measured within the round-trip bound`, async ({ page }) => {
    // Skew the clock of a loaded page, then measure again: setting the time before a
    // navigation lags by the page load, which would blur the injected skew by tens of ms.
    await page.goto('/clock');
    await measuredOffset(page);
    // The page applies the new time somewhere between these two readings, so the skew it
    // really gets lies in [skew − injection, skew]; on a busy machine that is tens of ms.
    const before = Date.now();
    await page.clock.setSystemTime(before + skewSecs * 1000);
    const injectionMs = Date.now() - before;
    await page.getByRole('button', { name: 'Measure again' }).click();
    const status = page.getByRole('status', { name: 'Device clock offset' });
    await expect
      .poll(async () => Math.abs(Number(await status.getAttribute('data-offset-ms')) - skewSecs * 1000))
      .toBeLessThan(1_000);
    const { offsetMs, errorMs } = await measuredOffset(page);
    const allowedMs = errorMs + 20;
    const injectedMs = skewSecs * 1000;
    test.info().annotations.push({
      type: 'offset',
      description:
        `skew ${skewSecs} s: measured ${offsetMs} ms (${(offsetMs - injectedMs).toFixed(1)} ms ` +
        `from the requested skew), error bound ${errorMs} ms, injection took ${injectionMs} ms`,
    });
    expect(offsetMs).toBeGreaterThanOrEqual(injectedMs - injectionMs - allowedMs);
    expect(offsetMs).toBeLessThanOrEqual(injectedMs + allowedMs);

    const sign = skewSecs < 0 ? MINUS : '+';
    await expect(status).toHaveText(new RegExp(`^\\${sign}${Math.abs(skewSecs)}\\.\\d s$`));

    const direction = skewSecs < 0 ? 'behind' : 'ahead of';
    const alert = page.getByRole('alert');
    const notice = page.getByRole('status').filter({ hasText: "This device's clock is" });
    if (Math.abs(skewSecs) >= 30) {
      await expect(alert).toContainText(`${direction} the server`);
      await expect(alert).toContainText('will be refused');
      await expect(alert).toContainText('Android');
      await expect(alert).toContainText('iPhone');
      await expect(alert.getByText('UTC')).toBeVisible();
    } else if (Math.abs(skewSecs) >= 10) {
      await expect(notice).toHaveText(`This device's clock is ${Math.abs(skewSecs)} s ${direction} the server.`);
      await expect(alert).toHaveCount(0);
    } else {
      await expect(notice).toHaveCount(0);
      await expect(alert).toHaveCount(0);
    }
  });
}

test('the countdown turns over exactly at the step boundary', async ({ page }) => {
  await page.clock.install({ time: Date.now() });
  await page.goto('/clock');
  const { offsetMs } = await measuredOffset(page);

  // Server time = device time − device offset. Find the device time of the next boundary.
  const deviceNow = await page.evaluate(() => Date.now());
  const serverNow = deviceNow - offsetMs;
  const boundaryServer = (Math.floor(serverNow / 30_000) + 2) * 30_000;
  const boundaryDevice = boundaryServer + offsetMs;

  const timer = page.getByRole('timer');
  await page.clock.pauseAt(boundaryDevice - 1_500);
  await page.clock.runFor(100);
  await expect(timer).toHaveText('The code changes in 2 seconds.');
  await page.clock.runFor(1_000);
  await expect(timer).toHaveText('The code changes in 1 second.');
  await page.clock.runFor(1_000);
  await expect(timer).toHaveText('The code changes in 30 seconds.');
});

test('the clock check works offline and says so', async ({ page, context }) => {
  await page.goto('/clock');
  await measuredOffset(page);
  // The service worker has filled its cache once it is ready.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  const cached = await page.evaluate(async () => {
    let bytes = 0;
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        bytes += (await (await cache.match(request))!.arrayBuffer()).byteLength;
      }
    }
    return bytes;
  });
  test.info().annotations.push({ type: 'offline cache', description: `${cached} bytes` });
  expect(cached).toBeGreaterThan(0);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Clock check' })).toBeVisible();
  await measuredOffset(page);
  await expect(page.getByText(/measured .* ago, offline now|measured just now, offline now/)).toBeVisible();
  await expect(page.getByRole('timer')).toHaveText(/The code changes in \d+ seconds?\./);

  await page.goto('/login');
  await expect(page.getByRole('alert')).toContainText('You are offline');
  await context.setOffline(false);
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

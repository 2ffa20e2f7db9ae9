// Installation settings other than SHA1, 6 digits, 30 seconds: the QR code and the page carry
// them, codes made by another implementation with them are accepted, and a code from an app
// that ignored them gets an alert that says so.
//
// The settings are global, so this file runs in its own project after every other spec, in
// series, once with the WebAssembly client and once without JavaScript.
import {
  codeAt,
  createUser,
  currentStep,
  stepAfter,
  untilInWindow,
  type OtpSettings,
} from '../support/cli';
import { expect, test } from '../support/fixtures';
import type { Staffgate } from '../support/staffgate';

const STRONG: OtpSettings = { algorithm: 'sha256', digits: 8, periodSecs: 60 };

test.describe.configure({ mode: 'serial' });

/** Chooses the settings for new enrollments on the admin's settings page. */
async function chooseSettings(admin: Staffgate, algorithm: string, digits: number, period: number) {
  await admin.open('/admin/settings');
  await expect(admin.heading('Installation settings')).toBeVisible();
  await admin.field('Algorithm').selectOption(algorithm);
  await admin.field('Code digits').selectOption(String(digits));
  await admin.field('Period').selectOption(String(period));
  await admin.button('Save settings').click();
  await expect(admin.field('Period')).toHaveValue(String(period));
  await expect(admin.alert()).toHaveCount(0);
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'hydrated' : 'no-js', () => {
    test.use({ javaScriptEnabled });

    test('SHA256 codes of 8 digits every 60 seconds set up and sign in', async ({
      app: staff,
      otherBrowser,
    }) => {
      test.slow();
      const adminUser = await createUser('admin');
      const staffUser = await createUser('staff');
      const admin = await otherBrowser();
      await admin.signIn(adminUser);
      await chooseSettings(admin, 'SHA256', 8, 60);

      try {
        await staff.signIn(staffUser);
        const key = await staff.generateSecret();
        await expect(staff.page.getByText('It shows a new code every 60 seconds.')).toBeVisible();
        await expect(staff.page.getByText(/uses SHA256 with 8 digits every 60 seconds/)).toBeVisible();
        if (javaScriptEnabled) {
          const uri = new URL((await staff.scanQrCode()).text);
          expect(uri.searchParams.get('secret')).toBe(key);
          expect(uri.searchParams.get('algorithm')).toBe('SHA256');
          expect(uri.searchParams.get('digits')).toBe('8');
          expect(uri.searchParams.get('period')).toBe('60');
        }

        // An app that ignores the settings makes SHA1, 6-digit, 30-second codes.
        await staff.confirmSetup(await codeAt(key, currentStep()));
        await expect(staff.alert()).toContainText('ignored this installation’s settings'.replace('’', "'"));

        await staff.ready();
        const step = currentStep(STRONG);
        await staff.confirmSetup(await codeAt(key, step, STRONG));
        await staff.expectAccount('on');

        await staff.signOut();
        await staff.enterPassword(staffUser.username, staffUser.password);
        const next = stepAfter(step, STRONG);
        await untilInWindow(next, STRONG);
        await staff.enterCode(await codeAt(key, next, STRONG));
        await staff.expectAccount('on');
      } finally {
        await chooseSettings(admin, 'SHA1', 6, 30);
      }
    });
  });
}

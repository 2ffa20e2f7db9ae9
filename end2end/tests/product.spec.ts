// The five steps of the product, end to end, as an admin and a staff user live them: sign in
// with a password, set up an authenticator app, sign in with a code, lose the phone and have
// an admin turn two-factor off, and find that change in the log and in the mailbox.
import { codeAt, createUser, currentStep, mailTo, stepAfter, wrongCode } from '../support/cli';
import { expect, test } from '../support/fixtures';

const UTC_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/;

test('two-factor authentication from first sign-in to an admin turning it off', async ({
  app: staff,
  otherBrowser,
}) => {
  test.slow();
  const adminUser = await createUser('admin');
  const staffUser = await createUser('staff');
  const admin = await otherBrowser();
  let secret = '';
  let enrolledStep = 0;

  await test.step('1. the admin made on the command line signs in with a password', async () => {
    await admin.signIn(adminUser);
    await expect(admin.link('Manage System Users')).toBeVisible();
    await expect(admin.link('System Notifications')).toBeVisible();
  });

  await test.step('2. the staff user sets up an authenticator app', async () => {
    await staff.signIn(staffUser);
    await expect(staff.link('Manage System Users')).toHaveCount(0);
    const shownKey = await staff.generateSecret();
    expect(shownKey).toMatch(/^[A-Z2-7]{32}$/);

    if (staff.javaScript) {
      const scanned = await staff.scanQrCode();
      const uri = new URL(scanned.text);
      expect(uri.protocol).toBe('otpauth:');
      expect(uri.host).toBe('totp');
      expect(decodeURIComponent(uri.pathname)).toContain(staffUser.username);
      expect(uri.searchParams.get('secret')).toBe(shownKey);
      secret = uri.searchParams.get('secret') ?? '';
    } else {
      // The QR code is drawn by the script; without it, the key typed by hand is the way in.
      secret = shownKey;
    }

    await staff.confirmSetup(await wrongCode(secret));
    await expect(staff.alert()).toContainText('code');
    await expect(staff.page.getByText('Two-factor authentication is off')).toBeVisible();

    await staff.ready();
    enrolledStep = currentStep();
    await staff.confirmSetup(await codeAt(secret, enrolledStep));
    await staff.expectAccount('on');
    await expect
      .poll(async () => (await mailTo(staffUser.email)).map((mail) => mail.subject))
      .toContainEqual(expect.stringMatching(/turned on/));
  });

  await test.step('3. signing in now needs a code after the password', async () => {
    await staff.signOut();
    await staff.enterPassword(staffUser.username, staffUser.password);
    await expect(staff.field('Verification code')).toBeVisible();
    await expect(staff.heading('Account')).toHaveCount(0);
    // The step that confirmed the setup is used up; the next one is already accepted.
    await staff.enterCode(await codeAt(secret, stepAfter(enrolledStep)));
    await staff.expectAccount('on');
  });

  const reason = `Lost phone, ticket ${Date.now()}`;
  const disabledAt = Date.now();

  await test.step('4. the admin turns the staff user’s two-factor off', async () => {
    await admin.link('Manage System Users').click();
    await expect(admin.heading('Manage System Users')).toBeVisible();
    const row = admin.userRow(staffUser.username);
    await expect.poll(() => admin.rowValues(row)).toMatchObject({
      Username: staffUser.username,
      Role: 'staff',
      Email: staffUser.email,
      'Two-factor': 'on',
      'Last sign-in': expect.stringMatching(UTC_TIME),
    });
    await admin.ready();
    await row.getByRole('button', { name: 'Disable two-factor authentication' }).click();

    await expect(row.getByLabel('Reason')).toBeVisible();
    await expect(row.getByLabel('Reason')).toHaveAttribute('required', '');
    await admin.ready();
    await row.getByLabel('Reason').fill(reason);
    await row.getByLabel('Your password').fill(adminUser.password);
    await row.getByRole('button', { name: 'Confirm' }).click();

    await expect
      .poll(() => admin.rowValues(admin.userRow(staffUser.username)))
      .toMatchObject({ 'Two-factor': 'off' });
    const disable = row.getByRole('button', { name: 'Disable two-factor authentication' });
    await expect(disable).toHaveCount(0);
    await expect(admin.alert()).toHaveCount(0);
  });

  await test.step('5. the change is logged, mailed, and the password alone signs in', async () => {
    await admin.ready();
    await admin.link('System Notifications').click();
    await expect(admin.heading('System Notifications')).toBeVisible();
    const entry = admin.page.getByRole('row').filter({ hasText: reason });
    await expect.poll(() => admin.rowValues(entry)).toMatchObject({
      'When (UTC)': expect.stringMatching(UTC_TIME),
      Event: 'Two-factor authentication turned off by an admin',
      By: adminUser.username,
      User: staffUser.username,
      'From address': '127.0.0.1',
      Reason: reason,
    });
    const when = (await admin.rowValues(entry))['When (UTC)'];
    const loggedAt = Date.parse(when.replace(' UTC', 'Z').replace(' ', 'T'));
    expect(Math.abs(loggedAt - disabledAt)).toBeLessThan(60_000);

    const turnedOff = async () =>
      (await mailTo(staffUser.email)).find((mail) => /turned off/i.test(mail.subject));
    await expect.poll(turnedOff, { message: 'mail saying two-factor was turned off' }).toBeTruthy();
    const mail = await turnedOff();
    expect(mail?.from).toContain('staffgate@e2e.test');
    expect(mail?.body).toContain(`Reason given: ${reason}`);
    expect(mail?.body).toContain(`"${adminUser.username}"`);
    expect(mail?.body).toContain('127.0.0.1');

    // Turning two-factor off also ended the staff user's sessions.
    await staff.open('/account');
    await expect(staff.heading('Sign in to Staffgate')).toBeVisible();
    await staff.signIn(staffUser);
  });
});

// Hardware tokens end to end: an admin imports the vendor's encrypted PSKC file on "Hardware
// tokens" with its pre-shared key, hands TOK-1001 to a staff user, activates it with a code
// from the token (computed by oathtool from the token's secret, never by Staffgate), and the
// staff user then signs in with the token's next code. The import form is a plain multipart
// upload, so the no-JavaScript run goes through the very same form.
import { randomBytes } from 'node:crypto';

import { createUser, currentStep, stepAfter, untilInWindow } from '../support/cli';
import { expect, test } from '../support/fixtures';
import {
  ENCRYPTED_SAMPLE,
  SAMPLE_PSK,
  TOK_1001,
  hexCodeAt,
  sampleWithSerialSuffix,
  tableRow,
  tableValues,
} from '../support/tokens';

test('an admin imports the encrypted sample, activates TOK-1001 for a staff user, who signs in with it', async ({
  app: admin,
  otherBrowser,
}, testInfo) => {
  test.slow();
  const adminUser = await createUser('admin');
  const staffUser = await createUser('staff');

  // Every test of a run shares one server, whose inventory refuses a serial it already holds:
  // the first hydrated run imports the vendor's file itself, every other run (the no-js
  // project, a repeat, a retry) a copy with its serials renamed.
  const first = testInfo.project.name === 'hydrated' && testInfo.repeatEachIndex === 0;
  let file = ENCRYPTED_SAMPLE;
  let suffix = '';
  if (!first || testInfo.retry > 0) {
    suffix = `-${randomBytes(3).toString('hex').toUpperCase()}`;
    file = testInfo.outputPath('pskc-psk-aes128cbc-copy.xml');
    await sampleWithSerialSuffix(file, suffix);
  }
  const serial = `TOK-1001${suffix}`;
  const fileName = file.split('/').pop() ?? '';

  await test.step('the admin imports the file with its pre-shared key', async () => {
    await admin.signIn(adminUser);
    await admin.link('Hardware tokens').click();
    await expect(admin.heading('Hardware tokens')).toBeVisible();
    await admin.ready();
    await admin.field('Token file').setInputFiles(file);
    await admin.field('Pre-shared key (hex)').fill(SAMPLE_PSK);
    await admin.button('Import').click();

    const report = admin.page.getByRole('region', { name: `Last import of ${fileName}` });
    await expect(report.getByText('1 imported, 1 refused.')).toBeVisible();
    await admin.ready();
    await expect
      .poll(() => tableValues(report, tableRow(report, serial)))
      .toEqual({ Serial: serial, Result: 'imported', Details: '' });
    expect(await tableValues(report, tableRow(report, `TOK-1002${suffix}`))).toEqual({
      Serial: `TOK-1002${suffix}`,
      Result: 'refused',
      Details: 'HOTP tokens are not supported',
    });
    await expect(admin.alert()).toHaveCount(0);
  });

  const inventory = admin.page.getByRole('region', { name: 'Inventory' });
  const row = tableRow(inventory, serial);

  await test.step('the inventory shows TOK-1001 as a 60-second token in stock', async () => {
    expect(await tableValues(inventory, row)).toMatchObject({
      Serial: serial,
      'Manufacturer / model': 'ExampleVendor',
      Algorithm: 'SHA1',
      Digits: '6',
      Period: '60 s',
      'Assigned user': '',
      State: 'in stock',
      'Last use': 'never',
    });
    await expect(tableRow(inventory, `TOK-1002${suffix}`)).toHaveCount(0);
  });

  await test.step('the admin assigns it to the staff user', async () => {
    await row.getByLabel('Assign to').fill(staffUser.username);
    await row.getByRole('button', { name: 'Assign', exact: true }).click();
    await expect
      .poll(() => tableValues(inventory, row))
      .toMatchObject({ 'Assigned user': staffUser.username, State: 'assigned' });
    await admin.ready();
  });

  let activatedStep = 0;

  await test.step('the admin activates it with the code the token shows', async () => {
    activatedStep = currentStep(TOK_1001.otp);
    const code = await hexCodeAt(TOK_1001.secretHex, activatedStep, TOK_1001.otp);
    expect(code).toMatch(/^\d{6}$/);
    await row.getByLabel('Verification code').fill(code);
    await row.getByRole('button', { name: 'Activate', exact: true }).click();
    await expect
      .poll(() => tableValues(inventory, row))
      .toMatchObject({ 'Assigned user': staffUser.username, State: 'active' });
    await expect(admin.alert()).toHaveCount(0);
    await admin.ready();
  });

  await test.step('the staff user signs in with the token’s next code', async () => {
    const staff = await otherBrowser();
    await staff.enterPassword(staffUser.username, staffUser.password);
    await expect(staff.field('Verification code')).toBeVisible();
    // The step that activated the token is used up; its next code counts once it is inside
    // server time ± 30 s.
    const next = stepAfter(activatedStep, TOK_1001.otp);
    await untilInWindow(next, TOK_1001.otp);
    await staff.enterCode(await hexCodeAt(TOK_1001.secretHex, next, TOK_1001.otp));
    await staff.expectAccount('on');
  });

  await test.step('the inventory shows the sign-in, and the log has every change', async () => {
    await admin.open('/admin/tokens');
    await expect
      .poll(() => tableValues(inventory, row))
      .toMatchObject({ State: 'active', 'Last use': expect.stringMatching(/UTC$/) });
    await admin.link('System Notifications').click();
    await expect(admin.heading('System Notifications')).toBeVisible();
    const entries = [
      { event: 'Hardware tokens imported', about: `1 imported (${serial})` },
      { event: 'Hardware token assigned', about: staffUser.username },
      { event: 'Hardware token activated', about: staffUser.username },
    ];
    for (const { event, about } of entries) {
      const entry = admin.page.getByRole('row').filter({ hasText: event }).filter({ hasText: about });
      await expect(entry).toHaveCount(1);
    }
  });
});

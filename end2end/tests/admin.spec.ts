// The admin pages guard themselves: only admins see them, and turning off someone's
// two-factor needs the admin's own password again.
import { createUser } from '../support/cli';
import { expect, test } from '../support/fixtures';

test('turning off a user’s two-factor is refused without the admin’s right password', async ({
  app: admin,
  otherBrowser,
}) => {
  const adminUser = await createUser('admin');
  const staffUser = await createUser('staff');
  const staff = await otherBrowser();
  await staff.signIn(staffUser);
  await staff.enableTwoFactor();

  await admin.signIn(adminUser);
  await admin.link('Manage System Users').click();
  const row = admin.userRow(staffUser.username);
  await expect.poll(() => admin.rowValues(row)).toMatchObject({ 'Two-factor': 'on' });
  await admin.ready();
  await row.getByRole('button', { name: 'Disable two-factor authentication' }).click();
  await expect(row.getByLabel('Reason')).toBeVisible();
  await admin.ready();
  await row.getByLabel('Reason').fill('Checking the password prompt');
  await row.getByLabel('Your password').fill(`${adminUser.password}-wrong`);
  await row.getByRole('button', { name: 'Confirm' }).click();

  await expect(admin.alert()).toHaveText('Your password is not right.');
  await admin.open('/admin/users');
  await expect
    .poll(() => admin.rowValues(admin.userRow(staffUser.username)))
    .toMatchObject({ 'Two-factor': 'on' });
});

test('a staff user cannot open the admin pages', async ({ app }) => {
  const user = await createUser('staff');
  await app.signIn(user);
  await expect(app.link('Manage System Users')).toHaveCount(0);

  for (const path of ['/admin/users', '/admin/notifications']) {
    await app.open(path);
    await expect(app.alert()).toHaveText('You do not have permission to do that.');
    await expect(app.page.getByRole('table')).toHaveCount(0);
  }
});

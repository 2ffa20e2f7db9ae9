// Refusals on the sign-in page: each is announced in an alert and leaves the visitor where
// they were, so they can try again.
import { codeAt, createUser, stepAfter, wrongCode } from '../support/cli';
import { expect, test } from '../support/fixtures';

test('a wrong password is refused with an alert', async ({ app }) => {
  const user = await createUser('staff');

  await app.enterPassword(user.username, `${user.password}-wrong`);

  await expect(app.alert()).toHaveText('The username or password is not right.');
  await expect(app.field('Username')).toBeVisible();
  await expect(app.heading('Account')).toHaveCount(0);
});

test('an unknown username gets the same alert as a wrong password', async ({ app }) => {
  await app.enterPassword('nobody-by-this-name', 'some long password');

  await expect(app.alert()).toHaveText('The username or password is not right.');
});

test('a wrong code at the code step is refused with an alert', async ({ app }) => {
  const user = await createUser('staff');
  await app.signIn(user);
  const { secret, step } = await app.enableTwoFactor();
  await app.signOut();

  await app.enterPassword(user.username, user.password);
  await app.enterCode(await wrongCode(secret));

  await expect(app.alert()).toContainText('code');
  await expect(app.field('Verification code')).toBeVisible();
  await expect(app.heading('Account')).toHaveCount(0);

  // The refusal leaves the sign-in open: the right code still gets in.
  await app.ready();
  await app.enterCode(await codeAt(secret, stepAfter(step)));
  await app.expectAccount('on');
});

test('a code that was already used is refused', async ({ app }) => {
  const user = await createUser('staff');
  await app.signIn(user);
  const { secret, step } = await app.enableTwoFactor();
  await app.signOut();

  await app.enterPassword(user.username, user.password);
  await app.enterCode(await codeAt(secret, step));

  await expect(app.alert()).toContainText('already used');
  await expect(app.heading('Account')).toHaveCount(0);
});

test('five wrong codes in a row send the visitor back to the password', async ({ app }) => {
  const user = await createUser('staff');
  await app.signIn(user);
  const { secret } = await app.enableTwoFactor();
  await app.signOut();
  await app.enterPassword(user.username, user.password);

  for (let attempt = 1; attempt <= 5; attempt++) {
    await app.enterCode(await wrongCode(secret));
    await expect(app.alert()).toBeVisible();
    if (attempt < 5) await expect(app.field('Verification code')).toBeVisible();
  }

  await expect(app.alert()).toContainText('enter your password again');
  await expect(app.field('Username')).toBeVisible();
  await expect(app.field('Verification code')).toHaveCount(0);
});

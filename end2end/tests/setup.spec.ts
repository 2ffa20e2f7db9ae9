// The setup page without the QR code: the key as text, which works with or without JavaScript.
import { expect, test } from '../support/fixtures';
import { createUser } from '../support/cli';

test('the secret key is shown in groups of four characters', async ({ app }) => {
  const user = await createUser('staff');
  await app.signIn(user);

  await app.generateSecret();

  const key = await app.page.getByLabel('Secret key').innerText();
  const groups = key.trim().split(/\s+/);
  // A 160-bit secret is 32 base32 characters: eight groups.
  expect(groups).toHaveLength(8);
  for (const group of groups) expect(group).toMatch(/^[A-Z2-7]{4}$/);
});

test('a new secret changes nothing until a code confirms it', async ({ app }) => {
  const user = await createUser('reseller');
  await app.signIn(user);
  await app.generateSecret();

  await app.open('/account');

  await app.expectAccount('off');
});

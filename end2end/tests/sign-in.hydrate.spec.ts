// With the WebAssembly client running, forms are sent by the client: the page stays loaded
// and only the parts that change are redrawn.
import { createUser } from '../support/cli';
import { expect, test } from '../support/fixtures';

test('after hydration, signing in and out loads no new page', async ({ app }) => {
  const user = await createUser('staff');
  await app.open('/login');
  const pageLoads: string[] = [];
  app.page.on('request', (request) => {
    if (request.resourceType() === 'document') pageLoads.push(request.url());
  });

  await app.field('Username').fill(user.username);
  await app.field('Password').fill(`${user.password}-wrong`);
  await app.button('Sign in').click();
  await expect(app.alert()).toHaveText('The username or password is not right.');

  await app.field('Password').fill(user.password);
  await app.button('Sign in').click();
  await app.expectAccount('off');
  await app.signOut();

  expect(pageLoads).toEqual([]);
});

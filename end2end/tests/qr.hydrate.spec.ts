// The enrollment QR code, drawn in the browser by the WebAssembly client: it must be readable
// by a camera from the screen, whatever the page's colours.
import { expect, test } from '../support/fixtures';
import { createUser } from '../support/cli';

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`in a ${colorScheme} colour scheme`, () => {
    test.use({ colorScheme });

    test('the QR code is a large, white-framed image that decodes to the shown key', async ({
      app,
    }) => {
      const user = await createUser('staff');
      await app.signIn(user);
      const key = await app.generateSecret();

      const image = app.qrImage();
      await expect(image).toBeVisible();
      await expect(image).toHaveAccessibleName(new RegExp(`QR code for ${user.username}`));
      const box = await image.boundingBox();
      expect(box?.width).toBeGreaterThanOrEqual(212);
      expect(box?.height).toBeGreaterThanOrEqual(212);

      const scanned = await app.scanQrCode();
      expect(scanned.width).toBeGreaterThanOrEqual(212);
      expect(scanned.modulePx).toBeGreaterThanOrEqual(3.9);
      expect(scanned.quietZoneModules).toBeGreaterThanOrEqual(3.9);
      expect(scanned.darkMarginPixel).toBeNull();

      const uri = new URL(scanned.text);
      expect(uri.protocol).toBe('otpauth:');
      expect(uri.host).toBe('totp');
      expect(uri.searchParams.get('secret')).toBe(key);
      expect(uri.searchParams.get('issuer')).toBeTruthy();
    });
  });
}

test('the SVG of the QR code paints an opaque white background', async ({ app }) => {
  const user = await createUser('staff');
  await app.signIn(user);
  await app.generateSecret();

  const image = app.qrImage();
  await expect(image).toBeVisible();
  // The first shape drawn fills the whole drawing in white, under the dark modules.
  const background = await image.evaluate((element) => {
    const svg = element.querySelector('svg');
    const first = svg?.querySelector('rect, path');
    const size = svg?.getBoundingClientRect();
    const painted = first?.getBoundingClientRect();
    return {
      fill: first ? getComputedStyle(first).fill : null,
      covers: !!size && !!painted && painted.width >= size.width && painted.height >= size.height,
    };
  });
  expect(background).toEqual({ fill: 'rgb(255, 255, 255)', covers: true });
});

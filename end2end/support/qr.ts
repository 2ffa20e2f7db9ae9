// Reading a QR code the way a phone camera would: from the pixels on the screen.
import type { Locator } from '@playwright/test';
import jsQR, { type QRCode } from 'jsqr';
import { PNG } from 'pngjs';

/** What a screenshot of a QR code holds. */
export interface ScannedQr {
  /** The decoded text. */
  text: string;
  /** Width and height of the image on the screen, in CSS pixels. */
  width: number;
  height: number;
  /** Pixels per module, measured between the finder patterns. */
  modulePx: number;
  /** Modules of light margin on the narrowest side, measured in pixels. */
  quietZoneModules: number;
  /** The first pixel outside the code's own square that is not white, if there is one. */
  darkMarginPixel: { x: number; y: number; rgb: number[] } | null;
}

/** Screenshots `image` and decodes it with jsQR; throws when nothing can be read. */
export async function scanQr(image: Locator): Promise<ScannedQr> {
  const box = await image.boundingBox();
  if (!box) throw new Error('the QR code is not on the screen');
  // The element may sit at a fractional position: take every pixel it touches, and below
  // judge only the pixels whose centres lie inside it.
  const clip = {
    x: Math.floor(box.x),
    y: Math.floor(box.y),
    width: Math.ceil(box.x + box.width) - Math.floor(box.x),
    height: Math.ceil(box.y + box.height) - Math.floor(box.y),
  };
  const png = PNG.sync.read(await image.page().screenshot({ clip, fullPage: true }));
  const within = (x: number, y: number) => {
    const [pageX, pageY] = [clip.x + x + 0.5, clip.y + y + 0.5];
    const across = pageX > box.x && pageX < box.x + box.width;
    return across && pageY > box.y && pageY < box.y + box.height;
  };
  const pixels = new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length);
  const code = jsQR(pixels, png.width, png.height, { inversionAttempts: 'dontInvert' });
  if (!code) throw new Error(`no QR code found in a ${png.width}×${png.height} screenshot`);

  const modules = 17 + 4 * code.version;
  const { topLeftFinderPattern: first, topRightFinderPattern: second } = code.location;
  // Finder pattern centres sit 3.5 modules in from the code's edges.
  const modulePx = Math.hypot(second.x - first.x, second.y - first.y) / (modules - 7);
  const square = codeBox(code, modulePx);
  const [boxLeft, boxTop] = [box.x - clip.x, box.y - clip.y];
  const margins = [
    square.left - boxLeft,
    square.top - boxTop,
    boxLeft + box.width - square.right,
    boxTop + box.height - square.bottom,
  ];

  // The square is found to within a pixel; the check leaves that pixel out.
  let darkMarginPixel: ScannedQr['darkMarginPixel'] = null;
  for (let y = 0; y < png.height && !darkMarginPixel; y++) {
    for (let x = 0; x < png.width; x++) {
      const inside =
        x > square.left - 2 && x <= square.right && y > square.top - 2 && y <= square.bottom;
      if (inside || !within(x, y)) continue;
      const at = (y * png.width + x) * 4;
      const [r, g, b] = [png.data[at], png.data[at + 1], png.data[at + 2]];
      if (r < 250 || g < 250 || b < 250) {
        darkMarginPixel = { x, y, rgb: [r, g, b] };
        break;
      }
    }
  }

  return {
    text: code.data,
    width: box.width,
    height: box.height,
    modulePx,
    quietZoneModules: Math.min(...margins) / modulePx,
    darkMarginPixel,
  };
}

/** The code's square in pixels, from the finder pattern centres (the code is not rotated). */
function codeBox(code: QRCode, modulePx: number) {
  const { topLeftFinderPattern: topLeft, bottomLeftFinderPattern: bottomLeft } = code.location;
  const { topRightFinderPattern: topRight } = code.location;
  const edge = 3.5 * modulePx;
  return {
    left: Math.round(topLeft.x - edge),
    top: Math.round(topLeft.y - edge),
    right: Math.round(topRight.x + edge),
    bottom: Math.round(bottomLeft.y + edge),
  };
}

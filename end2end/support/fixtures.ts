// The `test` every spec uses: Playwright's, plus a `Staffgate` driver for the page, a way to
// open a second browser (another person on another computer), and a check that no page threw
// or logged an error (a panic in the WebAssembly client, a failed hydration).
import { test as base, type BrowserContext } from '@playwright/test';

import { Staffgate, markWasmStart } from './staffgate';

export { expect } from '@playwright/test';

interface Fixtures {
  /** The app in this test's page. */
  app: Staffgate;
  /** Opens the app in a browser with its own cookies, as on someone else's computer. */
  otherBrowser: () => Promise<Staffgate>;
  /** Errors the pages of this test threw or logged. */
  pageErrors: string[];
}

/** Prepares a browser context: the hydration probe, and error collection. */
async function prepare(context: BrowserContext, javaScript: boolean, errors: string[]) {
  if (javaScript) await context.addInitScript(markWasmStart);
  context.on('weberror', (error) => errors.push(`uncaught: ${error.error().message}`));
  context.on('console', (message) => {
    // Chromium logs every 4xx answer to a fetch; refusals (a wrong password) are expected.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(`console: ${message.text()}`);
    }
  });
}

export const test = base.extend<Fixtures>({
  pageErrors: async ({}, use) => {
    const errors: string[] = [];
    await use(errors);
    base.expect(errors, 'errors in the browser').toEqual([]);
  },

  context: async ({ context, javaScriptEnabled, pageErrors }, use) => {
    await prepare(context, javaScriptEnabled, pageErrors);
    await use(context);
  },

  app: async ({ page, javaScriptEnabled }, use) => {
    await use(new Staffgate(page, javaScriptEnabled));
  },

  otherBrowser: async ({ browser, baseURL, javaScriptEnabled, pageErrors }, use) => {
    const opened: BrowserContext[] = [];
    await use(async () => {
      const context = await browser.newContext({ baseURL, javaScriptEnabled });
      opened.push(context);
      await prepare(context, javaScriptEnabled, pageErrors);
      return new Staffgate(await context.newPage(), javaScriptEnabled);
    });
    await Promise.all(opened.map((context) => context.close()));
  },
});

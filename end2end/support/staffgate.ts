// A driver for Staffgate's pages, written against what a person sees: roles, labels and text.
import { expect, type Locator, type Page } from '@playwright/test';

import { codeAt, currentStep, type User } from './cli';
import { scanQr, type ScannedQr } from './qr';

declare global {
  interface Window {
    __staffgateHydrated?: boolean;
  }
}

/**
 * An init script for hydrated pages: notes when the WebAssembly client has been instantiated.
 * Leptos's loader calls `hydrate()` in the promise callbacks that follow, so one task later
 * the page is hydrated and its forms are handled by the client.
 */
export function markWasmStart() {
  const note = <T>(started: Promise<T>) =>
    started.then((result) => {
      setTimeout(() => (window.__staffgateHydrated = true), 0);
      return result;
    });
  const streaming = WebAssembly.instantiateStreaming?.bind(WebAssembly);
  if (streaming) {
    WebAssembly.instantiateStreaming = (...args: Parameters<typeof streaming>) =>
      note(streaming(...args));
  }
  type Instantiate = typeof WebAssembly.instantiate;
  const plain = WebAssembly.instantiate.bind(WebAssembly) as (...args: unknown[]) => Promise<never>;
  WebAssembly.instantiate = ((...args: unknown[]) => note(plain(...args))) as Instantiate;
}

/** A secret that was confirmed, and the time step of the code that confirmed it. */
export interface Enrolled {
  secret: string;
  step: number;
}

/** One browser tab on Staffgate. */
export class Staffgate {
  constructor(
    readonly page: Page,
    readonly javaScript: boolean,
  ) {}

  /**
   * Waits until the page's forms are handled by the WebAssembly client. Call it after the
   * page's content is visible: after a full page load it waits for the new document.
   */
  async ready() {
    if (this.javaScript) {
      await this.page
        .waitForFunction(() => window.__staffgateHydrated === true, null, { timeout: 20_000 })
        .catch((error: Error) => {
          throw new Error(`the WebAssembly client did not start: ${error.message}`);
        });
    }
  }

  async open(path: string) {
    await this.page.goto(path);
    await this.ready();
  }

  alert(): Locator {
    return this.page.getByRole('alert');
  }

  heading(name: string): Locator {
    return this.page.getByRole('heading', { name, exact: true });
  }

  button(name: string): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }

  link(name: string): Locator {
    return this.page.getByRole('link', { name, exact: true });
  }

  field(label: string): Locator {
    return this.page.getByLabel(label, { exact: true });
  }

  /** The sign-in page's first step: username and password. */
  async enterPassword(username: string, password: string) {
    await this.open('/login');
    await this.field('Username').fill(username);
    await this.field('Password').fill(password);
    await this.button('Sign in').click();
  }

  /** The sign-in page's second step, once it shows; returns when the server has answered. */
  async enterCode(code: string) {
    await expect(this.field('Verification code')).toBeVisible();
    await this.ready();
    await this.field('Verification code').fill(code);
    // Wrong codes all get the same alert: wait for this answer, not the one before.
    const answered = this.page.waitForResponse(
      (response) => new URL(response.url()).pathname === '/api/verify_code',
    );
    await this.button('Verify').click();
    await answered;
  }

  /** Waits for the Account page of a signed-in user. */
  async expectAccount(twoFactor: 'on' | 'off') {
    await expect(this.heading('Account')).toBeVisible();
    await expect(this.page.getByText(`Two-factor authentication is ${twoFactor}`)).toBeVisible();
    await expect(this.page).toHaveURL(/\/account$/);
    await this.ready();
  }

  /** Signs in a user whose two-factor authentication is off. */
  async signIn(user: User) {
    await this.enterPassword(user.username, user.password);
    await this.expectAccount('off');
  }

  async signOut() {
    await this.button('Sign out').click();
    await expect(this.field('Username')).toBeVisible();
    await expect(this.page).toHaveURL(/\/login$/);
    await this.ready();
  }

  /** From the Account page: opens setup, makes a new secret, and returns the key shown. */
  async generateSecret(): Promise<string> {
    await this.link('Set up two-factor authentication').click();
    await expect(this.heading('Set up two-factor authentication')).toBeVisible();
    await expect(this.page).toHaveURL(/\/account\/two-factor$/);
    await this.ready();
    await this.button('Generate a new secret').click();
    const key = this.page.getByLabel('Secret key');
    await expect(key).toHaveText(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})*$/);
    await this.ready();
    return (await key.innerText()).replace(/\s+/g, '');
  }

  /** On the setup page: enters a code and asks to turn two-factor on. */
  async confirmSetup(code: string) {
    await this.field('Verification code').fill(code);
    await this.button('Enable two-factor authentication').click();
  }

  /** From the Account page: sets up two-factor with a current code, as an app would. */
  async enableTwoFactor(): Promise<Enrolled> {
    const secret = await this.generateSecret();
    const step = currentStep();
    await this.confirmSetup(await codeAt(secret, step));
    await this.expectAccount('on');
    return { secret, step };
  }

  /** The enrollment QR code: an image drawn in the browser. */
  qrImage(): Locator {
    return this.page.getByRole('img', { name: /QR code/ });
  }

  /** Reads the QR code from the screen, as a phone camera would. */
  async scanQrCode(): Promise<ScannedQr> {
    await expect(this.qrImage()).toBeVisible();
    return scanQr(this.qrImage());
  }

  /** The row of the user table (Manage System Users) that belongs to `username`. */
  userRow(username: string): Locator {
    const name = this.page.getByRole('rowheader', { name: username, exact: true });
    return this.page.getByRole('row').filter({ has: name });
  }

  /** What a row of the page's table says, keyed by column header. */
  async rowValues(row: Locator): Promise<Record<string, string>> {
    const headers = await this.page.getByRole('columnheader').allInnerTexts();
    const cells = await row.getByRole('rowheader').or(row.getByRole('cell')).allInnerTexts();
    return Object.fromEntries(headers.map((header, i) => [header.trim(), cells[i]?.trim() ?? '']));
  }
}

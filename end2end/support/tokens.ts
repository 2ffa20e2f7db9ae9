// What the hardware-token tests need beside the app: the vendor's sample seed file (or a copy
// with other serials), codes computed from a token's hex secret by Debian's oathtool, and the
// rows of one table on a page that shows several.
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import type { Locator } from '@playwright/test';

import { run, type OtpSettings } from './cli';

/** The encrypted PSKC sample (RFC 6030 section 6.1, AES-128-CBC, HMAC-SHA1 ValueMACs). */
export const ENCRYPTED_SAMPLE = resolve(__dirname, '../../core/tests/samples/pskc-psk-aes128cbc.xml');

/** The pre-shared key the sample is encrypted under, as the vendor sends it. */
export const SAMPLE_PSK = '0102030405060708090a0b0c0d0e0f10';

/** TOK-1001 of the sample: its secret in hex and how it makes codes. */
export const TOK_1001 = {
  secretHex: '404142434445464748494a4b4c4d4e4f50515253',
  otp: { algorithm: 'sha1', digits: 6, periodSecs: 60 } satisfies OtpSettings,
};

/**
 * Writes the sample to `path` with every serial given `suffix`. Serials are not covered by
 * the file's MACs, so the copy imports like the original, as tokens the inventory has not
 * seen yet.
 */
export async function sampleWithSerialSuffix(path: string, suffix: string) {
  const xml = await readFile(ENCRYPTED_SAMPLE, 'utf8');
  await writeFile(path, xml.replace(/TOK-(\d{4})/g, `TOK-$1${suffix}`));
}

/** The code of time step `step` for a hex `secret`: `oathtool --totp -s 60 -d 6 HEX`. */
export async function hexCodeAt(secretHex: string, step: number, otp: OtpSettings) {
  const mode = otp.algorithm === 'sha1' ? '--totp' : `--totp=${otp.algorithm}`;
  const args = [mode, '-s', String(otp.periodSecs), '-d', String(otp.digits)];
  const output = await run('oathtool', [...args, `--now=@${step * otp.periodSecs}`, secretHex]);
  return output.trim();
}

/** The row of `table` whose row header is `name`, or `name` followed by a note. */
export function tableRow(table: Locator, name: string): Locator {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // An inner locator is matched inside each row, so it starts from the page, not the table.
  const header = table
    .page()
    .getByRole('rowheader')
    .filter({ hasText: new RegExp(`^${escaped}(\\s|$)`) });
  return table.getByRole('row').filter({ has: header });
}

/** What a row of `table` says, keyed by that table's column headers. */
export async function tableValues(table: Locator, row: Locator): Promise<Record<string, string>> {
  const headers = await table.getByRole('columnheader').allInnerTexts();
  const cells = await row.getByRole('rowheader').or(row.getByRole('cell')).allInnerTexts();
  return Object.fromEntries(headers.map((header, i) => [header.trim(), cells[i]?.trim() ?? '']));
}

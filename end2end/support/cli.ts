// What the tests do outside the browser: create users with the `staffgate` command, compute
// codes with Debian's oathtool, and read the mail that reached the test SMTP server.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const repo = resolve(__dirname, '../..');
const binary = join(repo, 'target/debug/staffgate');

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with npx playwright test`);
  return value;
}

/** Runs a program, feeding `input` on stdin, and returns what it printed. */
export function run(
  program: string,
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
) {
  return new Promise<string>((done, fail) => {
    const stdin = options.input === undefined ? 'ignore' : 'pipe';
    const env = options.env ?? process.env;
    const child = spawn(program, args, { env, stdio: [stdin, 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (status) => {
      if (status === 0) done(stdout);
      else fail(new Error(`${program} ${args.join(' ')} exited with ${status}:\n${stderr}`));
    });
    child.stdin?.end(options.input);
  });
}

export type Role = 'admin' | 'staff' | 'reseller';

export interface User {
  username: string;
  email: string;
  password: string;
  role: Role;
}

/** Creates a user with a name no other test uses, through `staffgate user add`. */
export async function createUser(role: Role, label: string = role): Promise<User> {
  const username = `${label}-${randomBytes(4).toString('hex')}`;
  const user = {
    username,
    email: `${username}@e2e.test`,
    password: `pw-${randomBytes(9).toString('base64url')}`,
    role,
  };
  const env = {
    ...process.env,
    STAFFGATE_DATA_DIR: join(setting('STAFFGATE_E2E_DIR'), 'data'),
    STAFFGATE_SMTP_URL: `smtp://127.0.0.1:${setting('STAFFGATE_E2E_SMTP_PORT')}`,
    RUST_LOG: 'warn',
  };
  const args = ['user', 'add', '--username', username, '--email', user.email, '--role', role];
  await run(binary, [...args, '--password-stdin'], { input: `${user.password}\n`, env });
  return user;
}

/** How an authenticator makes codes; Staffgate's defaults unless an installation changed them. */
export interface OtpSettings {
  algorithm: 'sha1' | 'sha256' | 'sha512';
  digits: number;
  periodSecs: number;
}

export const DEFAULT_OTP: OtpSettings = { algorithm: 'sha1', digits: 6, periodSecs: 30 };

/** The time step the clock is in now. */
export function currentStep(otp: OtpSettings = DEFAULT_OTP): number {
  return Math.floor(Date.now() / 1000 / otp.periodSecs);
}

/**
 * The step whose code an app shows next after `usedStep`: the current one once the clock has
 * moved on, else the following one (already accepted, so no test waits for the clock).
 */
export function stepAfter(usedStep: number, otp: OtpSettings = DEFAULT_OTP): number {
  return Math.max(usedStep + 1, currentStep(otp));
}

/**
 * Waits until a code of `step` lies inside the server's window, which takes every step that
 * overlaps server time ± 30 s: at once for the next 30-second step, but a 60-second step only
 * from 30 s before it begins (with 2 s to spare for the request).
 */
export async function untilInWindow(step: number, otp: OtpSettings = DEFAULT_OTP) {
  const wait = (step * otp.periodSecs - 28) * 1000 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/** The code of time step `step` for a base32 `secret`, computed by oathtool. */
export async function codeAt(secret: string, step: number, otp: OtpSettings = DEFAULT_OTP) {
  const mode = otp.algorithm === 'sha1' ? '--totp' : `--totp=${otp.algorithm}`;
  const args = [mode, '--base32', `--digits=${otp.digits}`, `--time-step-size=${otp.periodSecs}s`];
  const output = await run('oathtool', [...args, `--now=@${step * otp.periodSecs}`, secret]);
  return output.trim();
}

/** A well-formed code that is none of the codes of the steps around now. */
export async function wrongCode(secret: string, otp: OtpSettings = DEFAULT_OTP) {
  const now = currentStep(otp);
  const near = new Set<string>();
  for (let step = now - 3; step <= now + 3; step++) near.add(await codeAt(secret, step, otp));
  let candidate = 0;
  while (near.has(String(candidate).padStart(otp.digits, '0'))) candidate++;
  return String(candidate).padStart(otp.digits, '0');
}

/** One message the test SMTP server received. */
export interface Mail {
  to: string;
  from: string;
  subject: string;
  body: string;
}

/** Every message received so far for `address`, oldest first. */
export async function mailTo(address: string): Promise<Mail[]> {
  const maildir = join(setting('STAFFGATE_E2E_DIR'), 'maildir');
  const messages: { name: string; mail: Mail }[] = [];
  for (const folder of ['new', 'cur']) {
    const names = await readdir(join(maildir, folder)).catch(() => [] as string[]);
    for (const name of names) {
      const mail = parseMessage(await readFile(join(maildir, folder, name), 'utf8'));
      if (mail.to.toLowerCase().includes(address.toLowerCase())) messages.push({ name, mail });
    }
  }
  // Maildir names start with the delivery time in seconds; enough to order one test's mail.
  return messages.sort((a, b) => a.name.localeCompare(b.name)).map((entry) => entry.mail);
}

/** Reads the headers and the text body of a plain, single-part message. */
export function parseMessage(raw: string): Mail {
  const text = raw.replace(/\r\n/g, '\n');
  const split = text.indexOf('\n\n');
  const head = split < 0 ? text : text.slice(0, split);
  const rawBody = split < 0 ? '' : text.slice(split + 2);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 1) continue;
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  let body = rawBody;
  if (encoding === 'base64') {
    body = Buffer.from(rawBody.replace(/\s+/g, ''), 'base64').toString('utf8');
  } else if (encoding === 'quoted-printable') {
    const bytes = rawBody
      .replace(/=\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    body = Buffer.from(bytes, 'latin1').toString('utf8');
  }
  const header = (name: string) => decodeWords(headers.get(name) ?? '');
  return { to: header('to'), from: header('from'), subject: header('subject'), body };
}

/** Decodes RFC 2047 encoded words (`=?utf-8?b?...?=`), which mail libraries use for non-ASCII. */
function decodeWords(value: string): string {
  const word = /=\?[^?]+\?([bqBQ])\?([^?]*)\?=\s*/g;
  return value.replace(word, (_, kind: string, data: string) => {
    if (kind.toLowerCase() === 'b') return Buffer.from(data, 'base64').toString('utf8');
    const bytes = data
      .replace(/_/g, ' ')
      .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  });
}

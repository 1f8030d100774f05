/**
 * Browser test harness: Debian's Chromium driven by playwright-core (which never
 * downloads a browser), the real server serving apps/web/dist, users made over REST,
 * one browser context per user, and screenshots under test-artifacts/screenshots/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { builtinApps } from '../../src/apps/index.js';
import { webApp } from '../../src/apps/web/index.js';
import type { ServerOptions } from '../../src/core/options.js';
import { sqliteUrl } from '../support/databases.js';
import { startServer, type TestServer } from '../support/server.js';
import { REPO_ROOT, WEB_DIST } from './web-build.js';

/**
 * Chromium on a machine with no outside network: without the background-networking
 * flags it keeps dialing Google's services and logging refusals. Playwright adds
 * its own fresh, empty profile directory (--user-data-dir) to every launch.
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-artifacts/screenshots');

/** How long a UI expectation may take: generous, since two cores run a build, a server and Chromium. */
export const UI_TIMEOUT_MS = 15_000;

export function chromiumExecutable(): string {
  const found = CHROMIUM_PATHS.find((path) => existsSync(path));
  if (!found) throw new Error('Chromium not found: run "node scripts/ensure-tools.mjs" (or apt-get install -y chromium)');
  return found;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), headless: true, args: CHROMIUM_FLAGS });
}

// ---- the server ----

export interface WebServerOptions {
  /** Reuse a database (a restart); a fresh SQLite file otherwise. */
  databaseUrl?: string;
  /** Listen on this port (a restart keeps the clients' URL); ephemeral otherwise. */
  port?: number;
  options?: Partial<ServerOptions>;
}

export interface WebServer extends TestServer {
  databaseUrl: string;
}

/** The real server with every app, the web app serving apps/web/dist. */
export async function startWebServer({ databaseUrl = sqliteUrl(), port = 0, options = {} }: WebServerOptions = {}): Promise<WebServer> {
  const apps = [...builtinApps().filter((app) => app.name !== 'web'), webApp({ root: WEB_DIST })];
  const server = await startServer({ ...options, databaseUrl, port }, { apps });
  return Object.assign(server, { databaseUrl });
}

// ---- users and REST ----

export interface DemoUser {
  id: string;
  username: string;
  password: string;
  name: string;
  access: string;
}

/** A JSON request that must succeed; a failure throws with the server's error body. */
export async function api<T = any>(baseUrl: string, method: string, path: string, access?: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (access) headers.authorization = `Bearer ${access}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

let userCounter = 0;

/** Registers a user with a unique username (prefix + counter) and logs it in over REST. */
export async function registerUser(server: TestServer, prefix: string, name: string, { staff = false } = {}): Promise<DemoUser> {
  const username = `${prefix}${++userCounter}${Date.now().toString(36)}`;
  const password = 'password123';
  const created = await api<{ id: string }>(server.httpUrl, 'POST', '/api/auth/register', undefined, { username, password, name });
  // Staff is not something a user can register as; the store is the server's public API.
  if (staff) await server.server.store.users.setStaff(created.id, true);
  const { access } = await api<{ access: string }>(server.httpUrl, 'POST', '/api/auth/token', undefined, { username, password });
  return { id: created.id, username, password, name, access };
}

// ---- pages ----

/** A user's browser context and page, with the page's uncaught errors recorded. */
export interface Session {
  user: DemoUser;
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions in the page: a test ends by asserting there were none. */
  errors: string[];
}

export async function newSession(browser: Browser, user: DemoUser, baseUrl: string): Promise<Session> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`${user.username}: ${error.message}`));
  return { user, context, page, errors };
}

/** Saves a full-page PNG as test-artifacts/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A CSS selector for `[data-testid="id"]` plus exact attribute values: `testId('message', { 'data-seq': '3' })`. */
export function testId(id: string, attributes: Record<string, string> = {}): string {
  return `[data-testid="${id}"]${Object.entries(attributes).map(([name, value]) => `[${name}="${value}"]`).join('')}`;
}

/**
 * Signs in through the login form, as a person would, and waits for the shell to show
 * this user. `screenshotAs` saves the filled-in login page first.
 */
export async function signIn(session: Session, { screenshotAs }: { screenshotAs?: string } = {}): Promise<void> {
  const { page, user } = session;
  await page.goto('/');
  await page.locator(testId('login-form', { 'data-mode': 'login' })).waitFor();
  await page.locator(testId('login-username')).fill(user.username);
  await page.locator(testId('login-password')).fill(user.password);
  if (screenshotAs) await screenshot(page, screenshotAs);
  await page.locator(testId('login-submit')).click();
  await page.locator(testId('current-user', { 'data-user-id': user.id })).waitFor();
}

/** Goes to a hash route of the app (`open(page, 'chat', workspaceId, channelId)`). */
export async function open(page: Page, ...segments: string[]): Promise<void> {
  await page.goto(`/#/${segments.map(encodeURIComponent).join('/')}`);
}

/** Waits until the page's first live-connection badge says `state` (open, reconnecting, …). */
export async function connectionState(page: Page, state: 'open' | 'connecting' | 'reconnecting' | 'closed'): Promise<void> {
  await page.locator(testId('connection-status', { 'data-state': state })).first().waitFor();
}

/** Waits until the first connection badge is anything but open: the page saw the drop. */
export async function connectionLost(page: Page): Promise<void> {
  await page.locator(`${testId('connection-status')}:not([data-state="open"])`).first().waitFor();
}

/** Waits until a textarea or input shows exactly `value`. */
export async function valueIs(page: Page, selector: string, value: string): Promise<void> {
  await page.waitForFunction(
    ([query, expected]) => (document.querySelector(query!) as HTMLTextAreaElement | HTMLInputElement | null)?.value === expected,
    [selector, value] as const,
    { timeout: UI_TIMEOUT_MS },
  );
}

/** The persisted chat messages a page shows (pending ones excluded), oldest first. */
export async function shownMessages(page: Page): Promise<{ seq: number; text: string }[]> {
  return page.locator(`${testId('message')}[data-seq]`).evaluateAll((elements) =>
    elements.map((element) => ({
      seq: Number(element.getAttribute('data-seq')),
      text: element.querySelector('[data-testid="message-text"]')?.textContent ?? '',
    })),
  );
}

/** Waits until a persisted chat message with exactly `text` is on the page. */
export async function messageShown(page: Page, text: string): Promise<void> {
  await page.locator(`${testId('message')}[data-seq] ${testId('message-text')}`).getByText(text, { exact: true }).waitFor();
}

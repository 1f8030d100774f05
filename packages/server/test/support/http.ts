/**
 * The REST API as a frontend uses it, over real HTTP: requests, error replies, and
 * users registered through `/api/auth/register` (members must exist) with an access
 * token carrying their display name.
 */
import { randomUUID } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { expect } from 'vitest';
import { PASSWORD, uniqueName } from './accounts.js';
import type { TestServer } from './server.js';

export interface Reply {
  status: number;
  body: any;
}

/** Anything answering HTTP: a TestServer, a `serve` process. */
export interface HttpTarget {
  readonly httpUrl: string;
}

export interface RequestOptions {
  token?: string;
  /** Sent as JSON; a string is sent as it is (malformed JSON, for instance). */
  body?: unknown;
  /** Sent as `X-API-Key`. */
  apiKey?: string;
  headers?: Record<string, string>;
}

/** A user known by an access token; `register` users also exist in the store. */
export interface TestUser {
  id: string;
  name: string;
  token: string;
}

export interface RegisteredUser extends TestUser {
  username: string;
}

/** The body is parsed when the response says it is JSON; otherwise its text (undefined when empty). */
export async function request(target: HttpTarget, method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.apiKey !== undefined) headers['x-api-key'] = options.apiKey;
  const { body } = options;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${target.httpUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (text === '') return { status: response.status, body: undefined };
  const json = response.headers.get('content-type')?.includes('application/json');
  return { status: response.status, body: json ? JSON.parse(text) : text };
}

/** The error shape of PROTOCOL.md §8 with a non-empty message. */
export function expectError(reply: Reply, status: number, code: string): void {
  expect(reply.status).toBe(status);
  expect(reply.body).toEqual({ error: { code, message: expect.any(String) } });
  expect(reply.body.error.message.length).toBeGreaterThan(0);
}

export interface RegisterOptions {
  /** Display name; defaults to the label capitalised. */
  name?: string;
  /** More claims for the access token. */
  claims?: JWTPayload;
}

/** Registers `<label>_<random>` through the API and signs an access token for it. */
export async function register(server: TestServer, label: string, options: RegisterOptions = {}): Promise<RegisteredUser> {
  const name = options.name ?? `${label[0]!.toUpperCase()}${label.slice(1)}`;
  const username = uniqueName(label);
  const registered = await request(server, 'POST', '/api/auth/register', { body: { username, password: PASSWORD, name } });
  expect(registered.status).toBe(201);
  return { id: registered.body.id, username, name, token: await server.token(registered.body.id, { name, ...options.claims }) };
}

/** A user with a fresh id who exists only in its token (as with an external issuer). */
export async function tokenUser(server: TestServer, name: string, claims: JWTPayload = {}): Promise<TestUser> {
  const id = randomUUID();
  return { id, name, token: await server.token(id, { name, ...claims }) };
}

/** `call(method, path, token, body, headers)` and `register(label)` bound to one server. */
export interface Api {
  call(method: string, path: string, token?: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  register(label: string, options?: RegisterOptions): Promise<RegisteredUser>;
}

/** Pass a getter when the server is started later (in beforeAll). */
export function api(server: TestServer | (() => TestServer)): Api {
  const target = typeof server === 'function' ? server : () => server;
  return {
    call: (method, path, token, body, headers) => request(target(), method, path, { token, body, headers }),
    register: (label, options) => register(target(), label, options),
  };
}

/**
 * `newClientId()`: a v4 UUID from `crypto.randomUUID`, or from `getRandomValues` where
 * `randomUUID` is missing (browsers on plain-http origins).
 */
import { webcrypto } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newClientId } from '../src/index.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('newClientId', () => {
  it('uses crypto.randomUUID when there is one', () => {
    expect(newClientId()).toMatch(UUID_V4);
  });

  it('falls back to getRandomValues without randomUUID', () => {
    const getRandomValues = vi.fn(<T extends Uint8Array>(bytes: T) => webcrypto.getRandomValues(bytes));
    vi.stubGlobal('crypto', { getRandomValues });
    const ids = new Set(Array.from({ length: 200 }, () => newClientId()));
    expect(getRandomValues).toHaveBeenCalledTimes(200);
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(UUID_V4);
  });

  it('sets the version and variant bits whatever the random bytes are', () => {
    vi.stubGlobal('crypto', { getRandomValues: <T extends Uint8Array>(bytes: T) => bytes.fill(0xff) });
    expect(newClientId()).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    vi.stubGlobal('crypto', { getRandomValues: <T extends Uint8Array>(bytes: T) => bytes.fill(0) });
    expect(newClientId()).toBe('00000000-0000-4000-8000-000000000000');
  });

  it('says so when there is no crypto API at all', () => {
    vi.stubGlobal('crypto', undefined);
    expect(() => newClientId()).toThrow(/no crypto API/);
  });
});

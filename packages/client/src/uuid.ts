/**
 * Version 4 UUIDs, e.g. for chat `client_id`s. `crypto.randomUUID` exists in Node and
 * in browsers on secure origins only (https, localhost); a page served over plain http
 * falls back to `crypto.getRandomValues`, which every browser has.
 */

interface CryptoLike {
  randomUUID?(): string;
  getRandomValues<T extends Uint8Array>(array: T): T;
}

export function newClientId(): string {
  const crypto = (globalThis as { crypto?: CryptoLike }).crypto;
  if (typeof crypto?.randomUUID === 'function') return crypto.randomUUID();
  if (!crypto) throw new TypeError('no crypto API available to generate a UUID');
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

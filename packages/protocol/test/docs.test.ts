/**
 * The close-code and error-code tables in codes.ts are the single source of truth; the
 * README and the protocol reference must list every entry (code in backticks).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLOSE_CODES, ERROR_CODES } from '../src/codes.js';

const ROOT = new URL('../../../', import.meta.url);
const DOCUMENTS = ['README.md', 'docs/protocol.md'] as const;

function read(path: string): string {
  return readFileSync(new URL(path, ROOT), 'utf8');
}

describe.each(DOCUMENTS)('%s', (path) => {
  const text = read(path);

  it.each(CLOSE_CODES.map((entry) => entry.code))('lists close code %i', (code) => {
    expect(text).toContain(`\`${code}\``);
  });

  it.each(ERROR_CODES.map((entry) => entry.code))('lists error code %s', (code) => {
    expect(text).toContain(`\`${code}\``);
  });
});

/**
 * The close-code and error-code tables in codes.ts are the single source of truth; the
 * README and the protocol reference must each have a table row for every entry, with
 * the same retry advice, HTTP status and malformed flag.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLOSE_CODES, ERROR_CODES } from '../src/codes.js';

const ROOT = new URL('../../../', import.meta.url);
const DOCUMENTS = ['README.md', 'docs/protocol.md'] as const;

function read(path: string): string {
  return readFileSync(new URL(path, ROOT), 'utf8');
}

/** The cells of the table row whose first cell is `code` (in backticks), or undefined. */
function rowOf(text: string, code: string | number): string[] | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`| \`${code}\` |`));
  return line?.split('|').slice(1, -1).map((cell) => cell.trim());
}

describe.each(DOCUMENTS)('%s', (path) => {
  const text = read(path);

  it.each(CLOSE_CODES.map((entry) => [entry.code, entry.retry] as const))('has a table row for close code %i with retry %s', (code, retry) => {
    const row = rowOf(text, code);
    expect(row, `no table row for close code ${code}`).toBeDefined();
    // Columns: code | meaning | reason text | client should retry ("yes", "yes, with …", "no").
    expect(row![3]!.startsWith(retry ? 'yes' : 'no')).toBe(true);
  });

  it.each(ERROR_CODES.map((entry) => [entry.code, entry.httpStatus, entry.malformed] as const))(
    'has a table row for error code %s with HTTP %i, malformed %s',
    (code, httpStatus, malformed) => {
      const row = rowOf(text, code);
      expect(row, `no table row for error code ${code}`).toBeDefined();
      // Columns: code | HTTP | counts as malformed | meaning (| where, in protocol.md).
      expect(row![1]).toBe(String(httpStatus));
      expect(row![2]).toBe(malformed ? 'yes' : 'no');
    },
  );
});

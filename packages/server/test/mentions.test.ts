/** `@username` parsing for ticket comments (pure): distinct mentions, the limit at its edge. */
import { MAX_COMMENT_MENTIONS } from '@switchboard/protocol';
import { expect, it } from 'vitest';
import { parseMentions, resolveMentions } from '../src/apps/projects/mentions.js';

it('counts a repeated mention once toward the limit', () => {
  const names = Array.from({ length: MAX_COMMENT_MENTIONS }, (_, i) => `user${i}`);
  const text = `@user0 @user0 @user0 ${names.map((n) => `@${n}`).join(' ')}`;
  expect(parseMentions(text).map((m) => m[0])).toEqual(names);
});

it('ignores mentions past the limit', () => {
  const names = Array.from({ length: MAX_COMMENT_MENTIONS + 1 }, (_, i) => `user${i}`);
  const parsed = parseMentions(names.map((n) => `@${n}`).join(' '));
  expect(parsed).toHaveLength(MAX_COMMENT_MENTIONS);
  expect(parsed.map((m) => m[0])).not.toContain(`user${MAX_COMMENT_MENTIONS}`);
});

it('tries a sentence-ending dot both ways and skips e-mail addresses', () => {
  const parsed = parseMentions('thanks @bob. mail carol@example.com');
  expect(parsed).toEqual([['bob.', 'bob']]);
  expect(resolveMentions(parsed, new Set(['bob']))).toEqual(['bob']);
});

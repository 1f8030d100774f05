import { describe, expect, it } from 'vitest';
import { rebase, spliceBetween, transformOffset } from '../src/stores/rebase.js';

describe('spliceBetween', () => {
  it('finds the one changed region', () => {
    expect(spliceBetween('hello world', 'hello brave world')).toEqual({ start: 6, end: 6, insert: 'brave ' });
    expect(spliceBetween('abc', 'abc')).toBeUndefined();
    expect(spliceBetween('abcdef', 'abXYef')).toEqual({ start: 2, end: 4, insert: 'XY' });
  });
});

describe('rebase', () => {
  it('applies both edits when they touch different places, in either order', () => {
    const base = 'The quick fox jumps.';
    const mine = 'The quick brown fox jumps.';
    const theirs = 'The quick fox jumps high.';
    expect(rebase(base, mine, theirs)).toBe('The quick brown fox jumps high.');
    expect(rebase(base, theirs, mine)).toBe('The quick brown fox jumps high.');
  });

  it('is the other side when one side did not change', () => {
    expect(rebase('a', 'a', 'ab')).toBe('ab');
    expect(rebase('a', 'ab', 'a')).toBe('ab');
    expect(rebase('a', 'ab', 'ab')).toBe('ab');
  });

  it('orders two insertions at the same place theirs first', () => {
    expect(rebase('ab', 'aXb', 'aYb')).toBe('aYXb');
  });

  it('refuses overlapping edits', () => {
    expect(rebase('hello world', 'hello there', 'hello wonderful world')).toBeUndefined();
  });
});

describe('transformOffset', () => {
  it('moves offsets after an edit and keeps those before it', () => {
    const splice = spliceBetween('hello world', 'hello brave world');
    expect(transformOffset(3, splice)).toBe(3);
    expect(transformOffset(8, splice)).toBe(14);
    expect(transformOffset(8, undefined)).toBe(8);
  });
});

/** The lone-member set behind groups and presence connections, at its size edges. */
import { describe, expect, it } from 'vitest';
import { compactAdd, compactDelete, compactHas, compactSize, compactValues, type CompactSet } from '../src/core/compact-set.js';

describe('CompactSet', () => {
  it('holds a lone member without a Set, and a Set from the second member on', () => {
    let set: CompactSet<string> = undefined;
    set = compactAdd(set, 'a');
    expect(set).toBe('a');
    set = compactAdd(set, 'a');
    expect(set).toBe('a');
    set = compactAdd(set, 'b');
    expect(set).toBeInstanceOf(Set);
    expect([...compactValues(set)]).toEqual(['a', 'b']);
    expect(compactSize(set)).toBe(2);
  });

  it('shrinks back to the lone member, then to empty', () => {
    let set: CompactSet<number> = compactAdd(compactAdd(compactAdd(undefined, 1), 2), 3);
    set = compactDelete(set, 2);
    expect(compactSize(set)).toBe(2);
    set = compactDelete(set, 1);
    expect(set).toBe(3);
    set = compactDelete(set, 4);
    expect(set).toBe(3);
    set = compactDelete(set, 3);
    expect(set).toBeUndefined();
    expect(compactSize(set)).toBe(0);
    expect([...compactValues(set)]).toEqual([]);
  });

  it('answers membership in every shape', () => {
    const member = { id: 1 };
    const other = { id: 2 };
    expect(compactHas(undefined, member)).toBe(false);
    expect(compactHas(member, member)).toBe(true);
    expect(compactHas(member, other)).toBe(false);
    const both = compactAdd(member, other);
    expect(compactHas(both, member) && compactHas(both, other)).toBe(true);
  });
});

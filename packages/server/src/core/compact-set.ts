/**
 * A set kept as its lone member until a second one arrives. Most users hold one
 * connection and most connections one group, and every Set costs a hash table of
 * 100–170 bytes: per idle connection that was the largest avoidable share (bench
 * `idle`, heap snapshot diff). Members must be neither `undefined` nor Sets.
 */
export type CompactSet<T> = T | Set<T> | undefined;

/** Returns the set with `value` added (a new value when it was empty or single). */
export function compactAdd<T>(set: CompactSet<T>, value: T): CompactSet<T> {
  if (set === undefined || set === value) return value;
  if (set instanceof Set) return set.add(value);
  return new Set([set as T, value]);
}

/** Returns the set without `value`: undefined when empty, the lone member when single. */
export function compactDelete<T>(set: CompactSet<T>, value: T): CompactSet<T> {
  if (!(set instanceof Set)) return set === value ? undefined : set;
  set.delete(value);
  if (set.size > 1) return set;
  return set.size === 1 ? (set.values().next().value as T) : undefined;
}

export function compactHas<T>(set: CompactSet<T>, value: T): boolean {
  return set instanceof Set ? set.has(value) : set !== undefined && set === value;
}

export function compactSize<T>(set: CompactSet<T>): number {
  return set instanceof Set ? set.size : set === undefined ? 0 : 1;
}

/** The members, for cold paths (the hot ones branch on `instanceof Set` themselves). */
export function compactValues<T>(set: CompactSet<T>): Iterable<T> {
  return set instanceof Set ? set : set === undefined ? [] : [set as T];
}

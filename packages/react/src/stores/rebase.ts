/**
 * Character-level rebase of a local edit onto a remote one, for whole-content
 * document updates. Each side is reduced to one splice of the common base (common
 * prefix and suffix kept), which is what typing produces between two updates. Splices
 * that do not overlap both apply; overlapping ones are a conflict (undefined).
 */
export interface Splice {
  /** Start offset in the base. */
  readonly start: number;
  /** End offset in the base (exclusive): base[start, end) is replaced. */
  readonly end: number;
  readonly insert: string;
}

/** The single splice that turns `from` into `to` (undefined when they are equal). */
export function spliceBetween(from: string, to: string): Splice | undefined {
  if (from === to) return undefined;
  const limit = Math.min(from.length, to.length);
  let prefix = 0;
  while (prefix < limit && from.charCodeAt(prefix) === to.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < limit - prefix && from.charCodeAt(from.length - 1 - suffix) === to.charCodeAt(to.length - 1 - suffix)) suffix++;
  return { start: prefix, end: from.length - suffix, insert: to.slice(prefix, to.length - suffix) };
}

export function applySplice(text: string, splice: Splice): string {
  return text.slice(0, splice.start) + splice.insert + text.slice(splice.end);
}

/**
 * `mine` and `theirs` both derive from `base`: the text with both changes, or
 * undefined when they touch the same characters. Two insertions at the same offset
 * keep theirs first, so every client orders them alike.
 */
export function rebase(base: string, mine: string, theirs: string): string | undefined {
  const own = spliceBetween(base, mine);
  const other = spliceBetween(base, theirs);
  if (!own) return theirs;
  if (!other || mine === theirs) return mine;
  if (own.start === own.end && other.start === other.end && own.start === other.start) {
    return base.slice(0, own.start) + other.insert + own.insert + base.slice(own.start);
  }
  // Disjoint: apply the later splice first, so the earlier one's offsets stay valid.
  if (own.end <= other.start) return applySplice(applySplice(base, other), own);
  if (other.end <= own.start) return applySplice(applySplice(base, own), other);
  return undefined;
}

/** Where an offset of `before` lands in `after`, given the one splice between them. */
export function transformOffset(offset: number, splice: Splice | undefined): number {
  if (!splice || offset <= splice.start) return offset;
  if (offset >= splice.end) return offset + splice.insert.length - (splice.end - splice.start);
  return splice.start + splice.insert.length;
}

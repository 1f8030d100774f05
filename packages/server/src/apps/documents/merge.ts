/**
 * Text merging for documents: a line-based three-way merge for stale JSON `update`s,
 * and the minimal single-splice diff used to turn a whole-content edit into a Yjs
 * operation. Pure functions, no I/O.
 */
import { diff3Merge } from 'node-diff3';

export type MergeOutcome = { ok: true; content: string } | { ok: false };

/**
 * Three-way merge at line granularity (paragraphs are runs of lines): `base` is the
 * version the edit was made on, `theirs` the current content, `mine` the edit. Changes
 * to different, non-adjacent lines merge; changes to the same or adjacent lines
 * conflict, unless both sides made the identical change.
 */
export function mergeText(base: string, theirs: string, mine: string): MergeOutcome {
  if (mine === base || mine === theirs) return { ok: true, content: theirs };
  if (theirs === base) return { ok: true, content: mine };
  // Lines without their terminators: appending after a last line without a newline
  // then reads as an insertion, not as a change to that line.
  const regions = diff3Merge(mine.split('\n'), base.split('\n'), theirs.split('\n'), { excludeFalseConflicts: true });
  const lines: string[] = [];
  for (const region of regions) {
    if (region.conflict) return { ok: false };
    if (region.ok) lines.push(...region.ok);
  }
  return { ok: true, content: lines.join('\n') };
}

/** One splice turning a text into another: delete `remove` units at `index`, insert `insert` there. */
export interface TextSplice {
  index: number;
  remove: number;
  insert: string;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/**
 * The smallest single splice from `current` to `next` (common prefix and suffix kept,
 * in UTF-16 code units, never splitting a surrogate pair); undefined when equal.
 */
export function textSplice(current: string, next: string): TextSplice | undefined {
  if (current === next) return undefined;
  const shorter = Math.min(current.length, next.length);
  let start = 0;
  while (start < shorter && current.charCodeAt(start) === next.charCodeAt(start)) start++;
  if (start > 0 && isHighSurrogate(current.charCodeAt(start - 1))) start--;
  let endCurrent = current.length;
  let endNext = next.length;
  while (endCurrent > start && endNext > start && current.charCodeAt(endCurrent - 1) === next.charCodeAt(endNext - 1)) {
    endCurrent--;
    endNext--;
  }
  if (endCurrent < current.length && isLowSurrogate(current.charCodeAt(endCurrent)) && endCurrent > start) {
    endCurrent++;
    endNext++;
  }
  return { index: start, remove: endCurrent - start, insert: next.slice(start, endNext) };
}

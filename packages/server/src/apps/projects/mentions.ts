/**
 * `@username` mentions in comment text. Usernames may contain `.`, `@`, `+` and `-`
 * (registration allows `[A-Za-z0-9_.@+-]`), so a mention runs to the first other
 * character; a sentence-ending `.` is tried both with and without it (the longer
 * name wins when both exist). An `@` inside a word (an e-mail address) is not a mention.
 */
import { MAX_COMMENT_MENTIONS } from '@switchboard/protocol';

const MENTION = /(?<![A-Za-z0-9_.@+-])@([A-Za-z0-9_.@+-]{1,150})(?![A-Za-z0-9_.@+-])/g;

/** Each distinct mention's possible usernames, most specific first; at most MAX_COMMENT_MENTIONS of them. */
export function parseMentions(text: string): string[][] {
  const mentions: string[][] = [];
  const seen = new Set<string>();
  for (const match of text.matchAll(MENTION)) {
    if (mentions.length >= MAX_COMMENT_MENTIONS) break;
    const name = match[1]!;
    // Repeats of one mention do not use up the limit.
    if (seen.has(name)) continue;
    seen.add(name);
    const trimmed = name.replace(/\.+$/, '');
    mentions.push(trimmed !== '' && trimmed !== name ? [name, trimmed] : [name]);
  }
  return mentions;
}

/** Every username any mention could mean (what to look up). */
export function candidateUsernames(mentions: readonly string[][]): string[] {
  return [...new Set(mentions.flat())];
}

/** The usernames actually mentioned, given which candidates exist: one per mention, distinct. */
export function resolveMentions(mentions: readonly string[][], existing: ReadonlySet<string>): string[] {
  const resolved = new Set<string>();
  for (const alternatives of mentions) {
    const name = alternatives.find((candidate) => existing.has(candidate));
    if (name !== undefined) resolved.add(name);
  }
  return [...resolved];
}

/** Yjs helpers shared by the suites that drive a real y-websocket provider. */
import type * as Y from 'yjs';

/** Resolves when the text reads `expected` (now or after a change), else rejects after `timeoutMs`. */
export function textBecomes(text: Y.Text, expected: string, timeoutMs: number): Promise<void> {
  if (text.toString() === expected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      text.unobserve(check);
      reject(new Error(`text is ${JSON.stringify(text.toString())}, expected ${JSON.stringify(expected)}`));
    }, timeoutMs);
    const check = (): void => {
      if (text.toString() !== expected) return;
      clearTimeout(timer);
      text.unobserve(check);
      resolve();
    };
    text.observe(check);
  });
}

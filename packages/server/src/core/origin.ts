/** The Origin allowlist checked at the WebSocket handshake (PROTOCOL.md §1 Limits). */

const LOCAL_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Requests without Origin (non-browser clients) pass. A browser origin passes when it
 * is the server's own host, is listed, or `*` is listed; with no list configured,
 * localhost origins pass too (development default).
 */
export function isOriginAllowed(origin: string | undefined, requestHost: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (requestHost !== undefined && url.host === requestHost.toLowerCase()) return true;
  return allowed.length === 0 && LOCAL_HOSTNAMES.has(url.hostname);
}

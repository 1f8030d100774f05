/**
 * The client's own access token, shared by its connections: used for connection
 * attempts when there is no `getToken`, replaced by `SwitchboardClient.refreshToken`.
 * `version` counts replacements, so a connection that authenticated with an older
 * token (its attempt began before the refresh) refreshes it once confirmed.
 */
export class ClientToken {
  version = 0;

  constructor(public value: string | undefined) {}

  set(token: string): void {
    if (token === this.value) return;
    this.value = token;
    this.version++;
  }
}

/** What `SwitchboardClient.refreshToken` did, by path. */
export interface TokenRefreshResult {
  /** Open connections that accepted the token, with the server's new `exp` (seconds since the epoch). */
  readonly refreshed: Readonly<Record<string, number>>;
  /**
   * Connections that were not open (or dropped before answering). Nothing to refresh:
   * their next attempt authenticates afresh, and one that was still handshaking
   * refreshes itself once confirmed.
   */
  readonly skipped: readonly string[];
}

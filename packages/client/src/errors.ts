/** Errors the client rejects requests with or throws from `send`. */
import type { ErrorMessage } from '@switchboard/protocol';
import type { TokenRefreshResult } from './token.js';

export class SwitchboardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The server answered a request with `{"type":"error"}`; `code` is one of the protocol's error codes. */
export class RequestError extends SwitchboardError {
  readonly code: string;
  readonly reply: ErrorMessage;

  constructor(reply: ErrorMessage) {
    super(`${reply.code}: ${reply.message}`);
    this.code = reply.code;
    this.reply = reply;
  }
}

/** No reply within the timeout. `sent` is false when the request never left the offline queue. */
export class RequestTimeoutError extends SwitchboardError {
  constructor(
    readonly type: string,
    readonly timeoutMs: number,
    readonly sent: boolean,
  ) {
    super(`no reply to ${type} within ${timeoutMs} ms${sent ? '' : ' (still queued: never sent)'}`);
  }
}

/**
 * The socket closed after the request was sent and before its reply arrived: the
 * server may or may not have handled it. (Chat messages with a `client_id` are
 * resent instead, since the server stores them at most once.)
 */
export class ConnectionLostError extends SwitchboardError {
  constructor(readonly type: string) {
    super(`connection lost before the reply to ${type}; it may or may not have been handled`);
  }
}

/** The connection is closed: `disconnect()`, a close code that is not retried, or reconnecting gave up. */
export class ConnectionClosedError extends SwitchboardError {
  constructor(
    readonly path: string,
    readonly code?: number,
    readonly reason?: string,
  ) {
    super(`connection to ${path} is closed${code === undefined ? '' : ` (${code}${reason ? ` ${reason}` : ''})`}`);
  }
}

/** The offline queue is full: the new message was not accepted (nothing queued was dropped). */
export class SendQueueFullError extends SwitchboardError {
  constructor(readonly limit: number) {
    super(`offline send queue is full (${limit} messages)`);
  }
}

/**
 * `refreshToken` failed on some open connections (the server refused the token, or
 * did not answer in time). `failures` holds the error of each such path; `result`
 * what happened on the others.
 */
export class TokenRefreshError extends SwitchboardError {
  constructor(
    readonly failures: Readonly<Record<string, Error>>,
    readonly result: TokenRefreshResult,
  ) {
    const list = Object.entries(failures).map(([path, error]) => `${path}: ${error.message}`);
    super(`refresh_token failed on ${list.join('; ')}`);
  }
}

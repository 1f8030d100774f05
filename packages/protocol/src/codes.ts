/**
 * Close codes and error codes: the single source of truth. The server, the client SDK
 * and the docs all read these tables; a test checks that README.md and
 * docs/protocol.md list every entry.
 */

export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  MessageTooBig: 1009,
  InternalError: 1011,
  Unauthenticated: 4001,
  MalformedMessages: 4002,
  Forbidden: 4003,
  PolicyViolation: 4008,
  SlowConsumer: 4009,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

export interface CloseCodeInfo {
  readonly code: CloseCode;
  readonly meaning: string;
  /** Whether a client should reconnect after this close (with backoff). */
  readonly retry: boolean;
}

export const CLOSE_CODES: readonly CloseCodeInfo[] = [
  { code: 1000, meaning: 'normal close (the client closed, or sent `leave` on a document)', retry: false },
  { code: 1001, meaning: 'server shutting down; reconnect (another instance may serve you)', retry: true },
  { code: 1009, meaning: 'frame larger than `maxMessageBytes` (default 64 KiB)', retry: true },
  { code: 1011, meaning: 'the server failed while setting up the connection; retry later', retry: true },
  { code: 4001, meaning: 'not authenticated, token expired, or logged out', retry: true },
  { code: 4002, meaning: 'too many malformed messages (more than 10 in 60 s)', retry: true },
  { code: 4003, meaning: 'forbidden: no access to this resource, or it does not exist', retry: false },
  { code: 4008, meaning: 'policy: too many connections for this user, or sustained rate-limit abuse', retry: true },
  { code: 4009, meaning: 'slow consumer: server-side send buffer passed `maxBufferedBytes`', retry: true },
];

/** Close reasons sent with each code (free-form reasons are not used). */
export const CloseReason = {
  ServerShutdown: 'Server shutting down',
  MessageTooBig: 'Message too big',
  AuthenticationFailed: 'Authentication failed',
  TokenExpired: 'Token expired',
  LoggedOut: 'Logged out',
  TooManyMalformed: 'Too many malformed messages',
  Forbidden: 'Forbidden',
  TooManyConnections: 'Too many connections',
  RateLimitAbuse: 'Rate limit exceeded',
  SlowConsumer: 'Slow consumer',
  ClientLeave: 'Left',
  InternalError: 'Internal error',
} as const;
export type CloseReason = (typeof CloseReason)[keyof typeof CloseReason];

export const ErrorCode = {
  InvalidJson: 'invalid_json',
  UnknownType: 'unknown_type',
  InvalidPayload: 'invalid_payload',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  Conflict: 'conflict',
  RateLimited: 'rate_limited',
  TooLarge: 'too_large',
  Unauthenticated: 'unauthenticated',
  InternalError: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorCodeInfo {
  readonly code: ErrorCode;
  /** HTTP status used when the same error is returned by the REST API. */
  readonly httpStatus: number;
  readonly meaning: string;
  /** Whether this error counts towards the malformed-message limit (4002). */
  readonly malformed: boolean;
}

export const ERROR_CODES: readonly ErrorCodeInfo[] = [
  { code: 'invalid_json', httpStatus: 400, meaning: 'the message is not valid JSON (or is a binary frame on a JSON endpoint)', malformed: true },
  { code: 'unknown_type', httpStatus: 400, meaning: 'no handler for this `type`; text is `Unknown message type: <type>`', malformed: true },
  { code: 'invalid_payload', httpStatus: 400, meaning: 'fields missing, of the wrong type, too long, or forbidden keys (`__proto__`, `constructor`, `prototype`)', malformed: true },
  { code: 'forbidden', httpStatus: 403, meaning: 'not allowed (e.g. sending to a room you have not joined)', malformed: false },
  { code: 'not_found', httpStatus: 404, meaning: 'the referenced object does not exist', malformed: false },
  { code: 'conflict', httpStatus: 409, meaning: 'the write conflicts with the current state', malformed: false },
  { code: 'rate_limited', httpStatus: 429, meaning: 'over the per-connection rate limit; the message was dropped', malformed: false },
  { code: 'too_large', httpStatus: 413, meaning: 'a field or body is over its size limit', malformed: false },
  { code: 'unauthenticated', httpStatus: 401, meaning: 'missing, invalid or expired credentials (REST requests; `refresh_token` with a bad token)', malformed: false },
  { code: 'internal_error', httpStatus: 500, meaning: 'the server failed to handle a valid message; nothing was changed', malformed: false },
];

export function errorCodeInfo(code: ErrorCode): ErrorCodeInfo {
  const info = ERROR_CODES.find((entry) => entry.code === code);
  if (!info) throw new Error(`unknown error code ${code}`);
  return info;
}

export const PROTOCOL_VERSION = 1;

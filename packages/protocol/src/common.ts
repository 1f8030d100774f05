/** Field rules shared by every endpoint (PROTOCOL.md §1 Limits). */
import { string } from './schema.js';

export const NAME_PATTERN = /^[A-Za-z0-9_.:-]+$/;

/** Room and channel names: 1–100 chars of `[A-Za-z0-9_.:-]`. */
export const roomName = string({ min: 1, max: 100, pattern: NAME_PATTERN, patternText: '[A-Za-z0-9_.:-]' });

/** Chat text: at most 4000 characters. */
export const chatText = string({ max: 4000 });

export const MAX_REF_LENGTH = 64;
export const MAX_ARRAY_ITEMS = 100;
export const MAX_CURSOR_BYTES = 1024;

/** Every server message carries `type` and an ISO-8601 UTC `timestamp`. */
export interface ServerEnvelope {
  type: string;
  timestamp: string;
  ref?: string;
}

export interface ErrorMessage extends ServerEnvelope {
  type: 'error';
  message: string;
  code: string;
}

export interface PongMessage extends ServerEnvelope {
  type: 'pong';
  client_timestamp?: unknown;
}

/** Sent by the client on any endpoint to extend a connection past its token's expiry. */
export interface RefreshTokenMessage {
  type: 'refresh_token';
  token: string;
}

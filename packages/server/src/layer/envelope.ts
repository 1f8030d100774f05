/**
 * Cross-instance wire format of one groupSend: a small binary header followed by the
 * already-encoded WebSocket frame, which receivers deliver verbatim (no re-encoding).
 *
 *   offset 0  u8      version (1)
 *          1  u8      flags: bit 0 reserved (an origin-local connection id, never sent
 *                     now; skipped when present), bit 1 = except-user present
 *          2  u8      origin instance id length N (1..255), then N bytes UTF-8
 *   [bit 0]   f64 BE  ignored
 *   [bit 1]   u16 BE  except user id length M, then M bytes UTF-8
 *   rest              the frame
 *
 * Receivers only need the frame and the excepted user: the origin is compared as bytes
 * (isFromOrigin) and never decoded, so a cross-instance message allocates no strings
 * unless it excepts a user.
 */

export const ENVELOPE_VERSION = 1;
const FLAG_RESERVED_CONNECTION = 1;
const FLAG_EXCEPT_USER = 2;

export interface Envelope {
  exceptUser?: string;
  /** A view into the message buffer, not a copy. */
  frame: Buffer;
}

/** Thrown for a message that is not an envelope of a version this build understands. */
export class MalformedEnvelopeError extends Error {}

/** Encodes the origin id once per layer; it leads every envelope. */
export function encodeOrigin(origin: string): Buffer {
  const bytes = Buffer.from(origin, 'utf8');
  if (bytes.length === 0 || bytes.length > 255) throw new RangeError('instance id must be 1..255 bytes of UTF-8');
  return bytes;
}

export function encodeEnvelope(origin: Buffer, frame: Buffer, exceptUser?: string): Buffer {
  const user = exceptUser === undefined ? undefined : Buffer.from(exceptUser, 'utf8');
  if (user && user.length > 0xffff) throw new RangeError('exceptUser is longer than 65535 bytes');
  const size = 3 + origin.length + (user ? 2 + user.length : 0) + frame.length;
  const out = Buffer.allocUnsafe(size);
  out[0] = ENVELOPE_VERSION;
  out[1] = user ? FLAG_EXCEPT_USER : 0;
  out[2] = origin.length;
  let offset = 3 + origin.copy(out, 3);
  if (user) {
    offset = out.writeUInt16BE(user.length, offset);
    offset += user.copy(out, offset);
  }
  frame.copy(out, offset);
  return out;
}

/** True when `message` was published by `origin` (checked before decoding anything else). */
export function isFromOrigin(message: Buffer, origin: Buffer): boolean {
  return (
    message.length >= 3 + origin.length &&
    message[2] === origin.length &&
    message.compare(origin, 0, origin.length, 3, 3 + origin.length) === 0
  );
}

export function decodeEnvelope(message: Buffer): Envelope {
  if (message.length < 4 || message[0] !== ENVELOPE_VERSION) throw new MalformedEnvelopeError('unknown envelope version');
  const flags = message[1]!;
  const originLength = message[2]!;
  let offset = 3 + originLength;
  if (originLength === 0 || offset > message.length) throw new MalformedEnvelopeError('truncated origin');
  if (flags & FLAG_RESERVED_CONNECTION) {
    if (offset + 8 > message.length) throw new MalformedEnvelopeError('truncated reserved field');
    offset += 8;
  }
  let exceptUser: string | undefined;
  if (flags & FLAG_EXCEPT_USER) {
    if (offset + 2 > message.length) throw new MalformedEnvelopeError('truncated except user');
    const length = message.readUInt16BE(offset);
    offset += 2;
    if (offset + length > message.length) throw new MalformedEnvelopeError('truncated except user');
    exceptUser = message.toString('utf8', offset, offset + length);
    offset += length;
  }
  const frame = message.subarray(offset);
  return exceptUser === undefined ? { frame } : { exceptUser, frame };
}

/**
 * Cross-instance wire format of one groupSend: a small binary header followed by the
 * already-encoded WebSocket frame, which receivers deliver verbatim (no re-encoding).
 *
 *   offset 0  u8      version (1)
 *          1  u8      flags: bit 0 = except-connection present, bit 1 = except-user present
 *          2  u8      origin instance id length N (1..255), then N bytes UTF-8
 *   [bit 0]   f64 BE  except connection id (process-unique on the origin only)
 *   [bit 1]   u16 BE  except user id length M, then M bytes UTF-8
 *   rest              the frame
 */

export const ENVELOPE_VERSION = 1;
const FLAG_EXCEPT_CONNECTION = 1;
const FLAG_EXCEPT_USER = 2;

export interface EnvelopeHeader {
  /** Instance that published it; it already delivered to its own members. */
  origin: string;
  /** Only meaningful on the origin instance, where connection ids come from. */
  exceptConnection?: number;
  exceptUser?: string;
}

export interface Envelope extends EnvelopeHeader {
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

export function encodeEnvelope(origin: Buffer, frame: Buffer, exceptConnection?: number, exceptUser?: string): Buffer {
  const user = exceptUser === undefined ? undefined : Buffer.from(exceptUser, 'utf8');
  if (user && user.length > 0xffff) throw new RangeError('exceptUser is longer than 65535 bytes');
  let flags = 0;
  let size = 3 + origin.length + frame.length;
  if (exceptConnection !== undefined) {
    flags |= FLAG_EXCEPT_CONNECTION;
    size += 8;
  }
  if (user) {
    flags |= FLAG_EXCEPT_USER;
    size += 2 + user.length;
  }
  const out = Buffer.allocUnsafe(size);
  out[0] = ENVELOPE_VERSION;
  out[1] = flags;
  out[2] = origin.length;
  let offset = 3 + origin.copy(out, 3);
  if (exceptConnection !== undefined) offset = out.writeDoubleBE(exceptConnection, offset);
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
  const envelope: Envelope = { origin: message.toString('utf8', 3, offset), frame: message };
  if (flags & FLAG_EXCEPT_CONNECTION) {
    if (offset + 8 > message.length) throw new MalformedEnvelopeError('truncated except connection');
    envelope.exceptConnection = message.readDoubleBE(offset);
    offset += 8;
  }
  if (flags & FLAG_EXCEPT_USER) {
    if (offset + 2 > message.length) throw new MalformedEnvelopeError('truncated except user');
    const length = message.readUInt16BE(offset);
    offset += 2;
    if (offset + length > message.length) throw new MalformedEnvelopeError('truncated except user');
    envelope.exceptUser = message.toString('utf8', offset, offset + length);
    offset += length;
  }
  envelope.frame = message.subarray(offset);
  return envelope;
}

/**
 * Encodes a server message once into a complete, unmasked WebSocket frame. The same
 * Buffer is then written to every recipient: one JSON.stringify and one allocation
 * per broadcast, however many sockets receive it.
 */

const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;
const FIN = 0x80;

function headerLength(payloadLength: number): number {
  if (payloadLength < 126) return 2;
  if (payloadLength < 65536) return 4;
  return 10;
}

function writeHeader(target: Buffer, opcode: number, payloadLength: number): number {
  target[0] = FIN | opcode;
  if (payloadLength < 126) {
    target[1] = payloadLength;
    return 2;
  }
  if (payloadLength < 65536) {
    target[1] = 126;
    target.writeUInt16BE(payloadLength, 2);
    return 4;
  }
  target[1] = 127;
  target.writeUInt32BE(Math.floor(payloadLength / 2 ** 32), 2);
  target.writeUInt32BE(payloadLength >>> 0, 6);
  return 10;
}

/** A complete text frame carrying `text` (UTF-8). */
export function textFrame(text: string): Buffer {
  const payloadLength = Buffer.byteLength(text);
  const frame = Buffer.allocUnsafe(headerLength(payloadLength) + payloadLength);
  const offset = writeHeader(frame, OPCODE_TEXT, payloadLength);
  frame.write(text, offset, 'utf8');
  return frame;
}

/** A complete binary frame carrying `payload`. */
export function binaryFrame(payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(headerLength(payload.length) + payload.length);
  const offset = writeHeader(frame, OPCODE_BINARY, payload.length);
  frame.set(payload, offset);
  return frame;
}

let isoMillis = 0;
let isoText = '';

/** The current time in ISO 8601 UTC, formatted once per millisecond (bursts share it). */
function isoNow(): string {
  const now = Date.now();
  if (now !== isoMillis) {
    isoMillis = now;
    isoText = new Date(now).toISOString();
  }
  return isoText;
}

/** Serializes a server message, adding `timestamp` (ISO 8601 UTC) unless it has one. */
export function serialize(message: { type: string; [key: string]: unknown }): string {
  const json = JSON.stringify(message);
  if (message.timestamp !== undefined) return json;
  return `${json.slice(0, -1)},"timestamp":"${isoNow()}"}`;
}

/** serialize + textFrame: the encoded form every send path uses. */
export function encodeMessage(message: { type: string; [key: string]: unknown }): Buffer {
  return textFrame(serialize(message));
}

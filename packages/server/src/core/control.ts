/**
 * Cluster-wide control commands carried by the channel layer: every instance keeps one
 * member in CONTROL_GROUP and acts on what arrives (e.g. logout closes a user's sockets
 * on all instances). Commands are JSON inside a text frame, like any other message.
 */
import type { LayerMember } from '../layer/types.js';
import { textFrame } from './frame.js';

/** Groups under this prefix carry server-internal traffic; clients and the publish API may not use them. */
export const INTERNAL_GROUP_PREFIX = 'switchboard:';

export const CONTROL_GROUP = `${INTERNAL_GROUP_PREFIX}control`;

export function isInternalGroup(group: string): boolean {
  return group.startsWith(INTERNAL_GROUP_PREFIX);
}

export type ControlCommand = { command: 'close_user'; userId: string; code: number; reason: string };

export function encodeControl(command: ControlCommand): Buffer {
  return textFrame(JSON.stringify(command));
}

/** Strips the WebSocket frame header (server frames are unmasked) and parses the command. */
export function decodeControl(frame: Buffer): ControlCommand | undefined {
  const length = frame[1]! & 0x7f;
  const offset = length < 126 ? 2 : length === 126 ? 4 : 10;
  try {
    const value = JSON.parse(frame.subarray(offset).toString('utf8')) as ControlCommand;
    return value && value.command === 'close_user' && typeof value.userId === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

let nextControlId = -1;

/** The member an instance adds to CONTROL_GROUP; ids are negative so they never clash with connections. */
export function controlMember(handle: (command: ControlCommand) => void): LayerMember {
  return {
    id: nextControlId--,
    userId: '',
    deliver(frame: Buffer) {
      const command = decodeControl(frame);
      if (command) handle(command);
    },
  };
}

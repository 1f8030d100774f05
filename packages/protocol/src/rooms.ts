/** Seed 001 rooms endpoint: `/api/v1/ws?token=<jwt>` (PROTOCOL.md §3). */
import { roomName, chatText } from './common.js';
import type { ServerEnvelope } from './common.js';
import { boolean, object, optional, type Infer } from './schema.js';

export const ROOMS_PATH = '/api/v1/ws';

export const roomsClientSchemas = {
  join_room: object({ room: roomName }),
  leave_room: object({ room: roomName }),
  message: object({ room: roomName, text: chatText }),
  typing: object({ room: roomName, is_typing: optional(boolean()) }),
};

export type JoinRoom = Infer<typeof roomsClientSchemas.join_room>;
export type LeaveRoom = Infer<typeof roomsClientSchemas.leave_room>;
export type RoomMessageIn = Infer<typeof roomsClientSchemas.message>;
export type RoomTypingIn = Infer<typeof roomsClientSchemas.typing>;

export interface RoomsWelcome extends ServerEnvelope {
  type: 'system';
  message: 'Connected successfully';
  user_id: string;
  online_count: number;
}

export interface RoomJoined extends ServerEnvelope {
  type: 'system';
  message: string;
  room: string;
  user_id: string;
  user_name: string;
  member_count: number;
  /** Present only while the room has at most `roomMemberListMax` members. */
  members?: string[];
}

export interface RoomLeft extends ServerEnvelope {
  type: 'system';
  message: string;
  room: string;
  user_id: string;
  user_name: string;
}

export interface RoomMessageOut extends ServerEnvelope {
  type: 'message';
  from: string;
  room: string;
  text: string;
  user_name: string;
}

export interface RoomTypingOut extends ServerEnvelope {
  type: 'typing';
  user_id: string;
  room: string;
  is_typing: boolean;
}

export type RoomsServerMessage = RoomsWelcome | RoomJoined | RoomLeft | RoomMessageOut | RoomTypingOut;

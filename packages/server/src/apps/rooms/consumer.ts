/**
 * Seed 001 rooms (PROTOCOL.md §3): flat messages on `/api/v1/ws`. Room membership
 * belongs to the connection that joined; member lists and counts are users
 * (cluster-wide through Presence), so a user with two tabs in a room counts once.
 */
import { ErrorCode, roomsClientSchemas } from '@switchboard/protocol';
import { Consumer, on, type HandlerTable } from '../../core/consumer.js';
import { CONNECTIONS_TOPIC } from '../../core/context.js';
import { ClientError } from '../../core/errors.js';
import type { PresenceMember } from '../../presence/types.js';
import type { DepartureNotice } from '../shared/departures.js';
import type { OutgoingMessage } from '../shared/publish.js';

export const roomGroup = (room: string): string => `room:${room}`;
/** The presence topic of a room; the same name as its group. */
export const roomTopic = roomGroup;
const ROOM_TOPIC_PREFIX = 'room:';

/** The room of a presence topic, or undefined for other topics. */
export function roomOfTopic(topic: string): string | undefined {
  return topic.startsWith(ROOM_TOPIC_PREFIX) ? topic.slice(ROOM_TOPIC_PREFIX.length) : undefined;
}

/** `<user> left`: the user's last connection in the room left, or their instance died. */
export function roomLeftMessage(room: string, user: PresenceMember): OutgoingMessage {
  return { type: 'system', message: `${user.userId} left`, room, user_id: user.userId, user_name: user.userName };
}

export const roomDepartures: DepartureNotice<string> = { keyOf: roomOfTopic, group: roomGroup, message: roomLeftMessage };

export class RoomsConsumer extends Consumer {
  static override handlers: HandlerTable<RoomsConsumer> = {
    join_room: on(roomsClientSchemas.join_room, (c: RoomsConsumer, p, ref) => c.joinRoom(p.room, ref)),
    leave_room: on(roomsClientSchemas.leave_room, (c: RoomsConsumer, p, ref) => c.leaveRoom(p.room, ref)),
    message: on(roomsClientSchemas.message, (c: RoomsConsumer, p, ref) => c.sendToRoom(p.room, p.text, ref)),
    typing: on(roomsClientSchemas.typing, (c: RoomsConsumer, p, ref) => c.typing(p.room, p.is_typing ?? true, ref)),
  };

  private rooms: Set<string> | undefined;

  override async onConnect(): Promise<void> {
    const onlineCount = await this.host.presence.connectionCount(CONNECTIONS_TOPIC);
    this.send({ type: 'system', message: 'Connected successfully', user_id: this.user.id, online_count: onlineCount });
  }

  override async onDisconnect(): Promise<void> {
    for (const room of this.rooms ?? []) await this.departRoom(room);
  }

  private requireMember(room: string): void {
    if (!this.rooms?.has(room)) throw new ClientError(ErrorCode.Forbidden, `Not a member of room ${room}`);
  }

  async joinRoom(room: string, ref: string | undefined): Promise<void> {
    (this.rooms ??= new Set()).add(room);
    await this.join(roomGroup(room));
    const { presence, options } = this.host;
    await presence.join(roomTopic(room), { userId: this.user.id, userName: this.user.name }, this.id);
    const memberCount = await presence.userCount(roomTopic(room));
    const notice: { type: string; [key: string]: unknown } = {
      type: 'system',
      message: `${this.user.id} joined`,
      room,
      user_id: this.user.id,
      user_name: this.user.name,
      member_count: memberCount,
    };
    // Full member lists only for small rooms: a join must not cost O(room²) bytes.
    if (memberCount <= options.roomMemberListMax) {
      notice.members = (await presence.members(roomTopic(room), options.roomMemberListMax)).map((m) => m.userId);
    }
    await this.broadcast(roomGroup(room), notice, { ref });
  }

  async leaveRoom(room: string, ref: string | undefined): Promise<void> {
    this.requireMember(room);
    await this.departRoom(room);
    this.send({ type: 'system', message: `Left room ${room}`, room }, ref);
  }

  private async departRoom(room: string): Promise<void> {
    this.rooms?.delete(room);
    await this.leave(roomGroup(room));
    const { changed } = await this.host.presence.leave(roomTopic(room), this.user.id, this.id);
    // Only when the user's last connection left the room (another tab may still be in it).
    if (changed) await this.broadcast(roomGroup(room), roomLeftMessage(room, { userId: this.user.id, userName: this.user.name }));
  }

  sendToRoom(room: string, text: string, ref: string | undefined): Promise<void> {
    this.requireMember(room);
    return this.broadcast(
      roomGroup(room),
      { type: 'message', from: this.user.id, room, text, user_name: this.user.name },
      { ref },
    );
  }

  typing(room: string, isTyping: boolean, _ref: string | undefined): Promise<void> {
    this.requireMember(room);
    return this.broadcast(
      roomGroup(room),
      { type: 'typing', user_id: this.user.id, room, is_typing: isTyping },
      { except: 'user' },
    );
  }
}

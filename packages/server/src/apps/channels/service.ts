/**
 * Channel chat behaviour shared by the WebSocket consumer and the REST routes, so a
 * message posted either way is validated, persisted and broadcast the same way
 * (PROTOCOL.md §2, §7): the database write commits before anything is sent.
 */
import {
  CHANNEL_TYPING_TIMEOUT_MS,
  ErrorCode,
  type ChannelMessage,
  type ChannelMessageIn,
  type ChannelReadMarker,
  type MessageAttachment,
} from '@switchboard/protocol';
import type { Consumer } from '../../core/consumer.js';
import { CONNECTIONS_TOPIC, type ServerContext } from '../../core/context.js';
import { ClientError } from '../../core/errors.js';
import { encodeMessage } from '../../core/frame.js';
import {
  ClientIdConflictError,
  UnknownChannelError,
  type Attachment,
  type HistoryQuery,
  type MessageAuthor,
  type SendResult,
} from '../../store/messages.js';
import type { Channel } from '../../store/workspaces.js';
import { publish, type Origin, type OutgoingMessage } from '../shared/publish.js';
import { AudienceCache } from './audience.js';
import { TypingTracker, type Typer } from './typing.js';
import { wireMessage, wireReadMarker } from './wire.js';

/** The channel-layer group of a channel's connections. */
export const channelGroup = (channelId: string): string => `channel:${channelId}`;

export interface PostResult {
  message: ChannelMessage;
  /** False for a retry whose `client_id` was already stored: nothing new was written or broadcast. */
  created: boolean;
}

export interface ReadResult {
  marker: ChannelReadMarker;
  /** False when the stored marker was already at or past the message. */
  moved: boolean;
}

export interface HistoryResult {
  messages: ChannelMessage[];
  has_more: boolean;
}

/** Keeps only the attachment fields the protocol defines (the schema checked their types). */
function cleanAttachments(attachments: readonly MessageAttachment[] | undefined): Attachment[] {
  return (attachments ?? []).map(({ url, name, type, size }) => {
    const clean: Attachment = { url };
    if (name !== undefined && name !== null) clean.name = name;
    if (type !== undefined && type !== null) clean.type = type;
    if (size !== undefined && size !== null) clean.size = size;
    return clean;
  });
}

const services = new WeakMap<ServerContext, ChannelsService>();

export class ChannelsService {
  readonly typing: TypingTracker;
  readonly audience: AudienceCache;

  /** The service of one server: its typing timer and audience cache are per instance. */
  static for(context: ServerContext): ChannelsService {
    let service = services.get(context);
    if (!service) {
      service = new ChannelsService(context);
      services.set(context, service);
    }
    return service;
  }

  private constructor(private readonly context: ServerContext) {
    this.typing = new TypingTracker((typer) => this.typingExpired(typer), CHANNEL_TYPING_TIMEOUT_MS);
    this.audience = new AudienceCache(context.store);
  }

  stop(): void {
    this.typing.stop();
  }

  // ---- messages ----

  async postMessage(channel: Channel, author: MessageAuthor, input: ChannelMessageIn, origin?: Origin): Promise<PostResult> {
    const content = input.content ?? '';
    const attachments = cleanAttachments(input.attachments);
    if (content.trim() === '' && attachments.length === 0) {
      throw new ClientError(ErrorCode.InvalidPayload, 'content: must not be empty when there are no attachments');
    }
    let result: SendResult;
    try {
      result = await this.context.store.messages.send(channel.id, author, { content, attachments, clientId: input.client_id ?? null });
    } catch (error) {
      if (error instanceof ClientIdConflictError) throw new ClientError(ErrorCode.Conflict, error.message);
      if (error instanceof UnknownChannelError) throw new ClientError(ErrorCode.NotFound, 'Channel not found');
      throw error;
    }
    const message = wireMessage(result.message);
    const out = { type: 'message', data: message };
    if (result.created) await publish(this.context.layer, channelGroup(channel.id), out, origin);
    // A retry: only the retrying connection needs its answer; everyone else already has it.
    else origin?.consumer.send(out, origin.ref);
    return { message, created: result.created };
  }

  /**
   * A page of history, oldest first. Besides `limit`, a page stays under half of
   * `maxBufferedBytes` (100 messages of 64 KiB would otherwise trip the slow-consumer
   * cut): it keeps the end the client pages from — the oldest when catching up with
   * `after_seq`, the newest when paging back — and reports `has_more`.
   */
  async history(channel: Channel, query: HistoryQuery): Promise<HistoryResult> {
    const page = await this.context.store.messages.history(channel.id, query);
    const messages = page.messages.map(wireMessage);
    const budget = Math.floor(this.context.options.maxBufferedBytes / 2);
    const fromOldest = query.afterSeq !== undefined;
    let bytes = 0;
    let kept = 0;
    for (let i = 0; i < messages.length; i++) {
      const message = messages[fromOldest ? i : messages.length - 1 - i]!;
      bytes += Buffer.byteLength(JSON.stringify(message));
      // Always at least one message, so paging makes progress.
      if (kept > 0 && bytes > budget) break;
      kept++;
    }
    if (kept === messages.length) return { messages, has_more: page.hasMore };
    return { messages: fromOldest ? messages.slice(0, kept) : messages.slice(messages.length - kept), has_more: true };
  }

  /** Moves the caller's read marker forward and tells the channel; not_found for a message of another channel. */
  async markRead(channel: Channel, userId: string, messageId: string, origin?: Origin): Promise<ReadResult> {
    const result = await this.context.store.messages.markRead(channel.id, userId, messageId);
    if (!result) throw new ClientError(ErrorCode.NotFound, 'Message not found in this channel');
    const marker = wireReadMarker(result.marker);
    const out = { type: 'read', data: marker };
    if (result.moved) await publish(this.context.layer, channelGroup(channel.id), out, origin);
    // The marker did not move: the caller learns where it is; nothing changed for the others.
    else origin?.consumer.send(out, origin.ref);
    return { marker, moved: result.moved };
  }

  // ---- typing (ephemeral: never touches the database) ----

  setTyping(channel: Channel, consumer: Consumer, isTyping: boolean): Promise<void> {
    const { user } = consumer;
    if (isTyping) this.typing.typing({ channelId: channel.id, userId: user.id, userName: user.name, connectionId: consumer.id });
    else this.typing.stoppedTyping(channel.id, user.id);
    return consumer.broadcast(channelGroup(channel.id), typingMessage(user.id, user.name, isTyping), { except: 'user' });
  }

  /** The typer's connection closed while typing: the others see them stop now. */
  async connectionClosed(channel: Channel, consumer: Consumer): Promise<void> {
    const typer = this.typing.release(channel.id, consumer.user.id, consumer.id);
    if (typer) await this.sendTypingStopped(typer);
  }

  private typingExpired(typer: Typer): void {
    // The server's layer logs a failed cross-instance hop itself (core/fanout.ts).
    void this.sendTypingStopped(typer);
  }

  private sendTypingStopped(typer: Typer): Promise<void> {
    const frame = encodeMessage(typingMessage(typer.userId, typer.userName, false));
    return this.context.layer.groupSend(channelGroup(typer.channelId), frame, { exceptUser: typer.userId });
  }

  // ---- presence ----

  /**
   * `presence {online_users}` to the channel: its audience with at least one live
   * connection anywhere (a closing connection has already left the connections topic).
   */
  async broadcastPresence(channel: Channel): Promise<void> {
    const audience = await this.audience.get(channel);
    const online = await this.context.presence.filterPresent(CONNECTIONS_TOPIC, audience);
    const frame = encodeMessage({ type: 'presence', data: { online_users: online } });
    await this.context.layer.groupSend(channelGroup(channel.id), frame);
  }
}

function typingMessage(userId: string, userName: string, isTyping: boolean): OutgoingMessage {
  return { type: 'typing', data: { user_id: userId, user_name: userName, is_typing: isTyping } };
}

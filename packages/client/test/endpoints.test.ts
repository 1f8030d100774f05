/**
 * Message typing by path (compile-time, checked by the test type-check) and the
 * channel-path rule that turns on `client_id`s and the backfill.
 */
import type {
  ChannelHistoryOut,
  ChannelMessageOut,
  CommentAddedMessage,
  CommentHeldMessage,
  ConversationMessageOut,
  ErrorMessage,
  PostStatsMessage,
  RoomJoined,
  RoomMessageOut,
  TicketUpdateMessage,
  UpdatesSubscriptionMessage,
  UserStatusMessage,
} from '@switchboard/protocol';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  isChannelPath,
  type AnalyticsEndpoint,
  type AnyEndpoint,
  type BlogCommentsEndpoint,
  type BlogPostEndpoint,
  type ChannelsEndpoint,
  type Connection,
  type ConversationsEndpoint,
  type EndpointOf,
  type ProjectPresenceEndpoint,
  type ProjectTicketsEndpoint,
  type RoomsEndpoint,
  type ServerMessage,
  type SwitchboardClient,
} from '../src/index.js';

describe('endpoint types', () => {
  it('a literal path selects the endpoint; a plain string is AnyEndpoint', () => {
    expectTypeOf<EndpointOf<'/api/v1/ws'>>().toEqualTypeOf<RoomsEndpoint>();
    expectTypeOf<EndpointOf<`/ws/channels/${string}/`>>().toEqualTypeOf<ChannelsEndpoint>();
    expectTypeOf<EndpointOf<'/ws/channels/0d7c1c2e-8a4e-4a57-9d7e-1f2a3b4c5d6e/'>>().toEqualTypeOf<ChannelsEndpoint>();
    expectTypeOf<EndpointOf<string>>().toEqualTypeOf<AnyEndpoint>();
    expectTypeOf<EndpointOf<`/ws/projects/${string}/tickets/`>>().toEqualTypeOf<ProjectTicketsEndpoint>();
    expectTypeOf<EndpointOf<'ws/projects/p1/presence/'>>().toEqualTypeOf<ProjectPresenceEndpoint>();
    expectTypeOf<EndpointOf<'/ws/blog/posts/7/'>>().toEqualTypeOf<BlogPostEndpoint>();
    expectTypeOf<EndpointOf<'/ws/blog/comments/7/'>>().toEqualTypeOf<BlogCommentsEndpoint>();
    expectTypeOf<EndpointOf<'/ws/analytics/dashboard/'>>().toEqualTypeOf<AnalyticsEndpoint>();
    expectTypeOf<EndpointOf<`/ws/chat/${string}/`>>().toEqualTypeOf<ConversationsEndpoint>();
    expectTypeOf<EndpointOf<'/ws/documents/d1/yjs'>>().toEqualTypeOf<AnyEndpoint>();
  });

  it('projects, blog, analytics and conversations are typed from the protocol', () => {
    const typed = (sb: SwitchboardClient) => {
      sb.projectTickets('p').on('ticket_update', (message) => expectTypeOf(message).toEqualTypeOf<TicketUpdateMessage>());
      expectTypeOf(sb.projectPresence('p').request('view_ticket', { ticket_id: 't' })).resolves.toEqualTypeOf<UserStatusMessage>();
      expectTypeOf(sb.blogPost('1').request('get_stats')).resolves.toEqualTypeOf<PostStatsMessage>();
      // A message whose `type` is a union is listed under each of its types.
      sb.blogPost('1').on('updates_unsubscribed', (message) => expectTypeOf(message).toEqualTypeOf<UpdatesSubscriptionMessage>());
      expectTypeOf(sb.blogComments('1').request('add_comment', { content: 'hi' })).resolves.toEqualTypeOf<
        CommentAddedMessage | CommentHeldMessage
      >();
      sb.analytics().on('analytics_update', (message) => expectTypeOf(message.data.active_users).toEqualTypeOf<number>());
      const chat = sb.conversation('c');
      expectTypeOf(chat.request('message', { message: 'hi', message_type: 'IMAGE' })).resolves.toEqualTypeOf<ConversationMessageOut>();
      expectTypeOf(chat.request('TEXT', { message: 'hi' })).resolves.toEqualTypeOf<ConversationMessageOut>();
      chat.send('mark_read');
      // @ts-expect-error SYSTEM messages are the server's
      chat.send('message', { message: 'x', message_type: 'SYSTEM' });
      // @ts-expect-error add_comment needs content
      sb.blogComments('1').send('add_comment', {});
    };
    expect(typeof typed).toBe('function');
  });

  it('handlers, payloads and replies are typed per endpoint', () => {
    type Rooms = Connection<RoomsEndpoint>;
    expectTypeOf<Parameters<Parameters<Rooms['on']>[1]>[0]>().not.toBeAny();
    expectTypeOf<Awaited<ReturnType<Rooms['request']>>>().not.toBeAny();
    // Compile-time checks: these lines fail the type-check if the typing breaks.
    const typed = (rooms: Rooms, channel: Connection<ChannelsEndpoint>, any: Connection) => {
      rooms.on('message', (message) => expectTypeOf(message).toEqualTypeOf<RoomMessageOut>());
      rooms.on('error', (message) => expectTypeOf(message).toEqualTypeOf<ErrorMessage>());
      expectTypeOf(rooms.request('join_room', { room: 'a' })).resolves.toEqualTypeOf<RoomJoined>();
      // @ts-expect-error join_room needs a room
      rooms.send('join_room');
      // @ts-expect-error no such client message on the rooms endpoint
      rooms.send('history', {});
      channel.on('message', (message) => expectTypeOf(message).toEqualTypeOf<ChannelMessageOut>());
      expectTypeOf(channel.request('history', { after_seq: 3 })).resolves.toEqualTypeOf<ChannelHistoryOut>();
      channel.send('history');
      any.on('whatever', (message) => expectTypeOf(message).toEqualTypeOf<ServerMessage>());
    };
    expect(typeof typed).toBe('function');
  });
});

describe('isChannelPath', () => {
  it('matches /ws/channels/<id>/ with or without the trailing slash, and nothing else', () => {
    expect(isChannelPath('/ws/channels/0d7c1c2e-8a4e-4a57-9d7e-1f2a3b4c5d6e/')).toBe(true);
    expect(isChannelPath('/ws/channels/abc')).toBe(true);
    expect(isChannelPath('/ws/channels/abc/?x=1')).toBe(true);
    expect(isChannelPath('/ws/channels/')).toBe(false);
    expect(isChannelPath('/ws/channels/abc/typing')).toBe(false);
    expect(isChannelPath('/api/v1/ws')).toBe(false);
    expect(isChannelPath('/ws/documents/abc/')).toBe(false);
  });
});

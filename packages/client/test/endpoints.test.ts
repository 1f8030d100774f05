/**
 * Message typing by path (compile-time, checked by the test type-check) and the
 * channel-path rule that turns on `client_id`s and the backfill.
 */
import type { ChannelHistoryOut, ChannelMessageOut, RoomJoined, RoomMessageOut, ErrorMessage } from '@switchboard/protocol';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { isChannelPath, type AnyEndpoint, type ChannelsEndpoint, type Connection, type EndpointOf, type RoomsEndpoint, type ServerMessage } from '../src/index.js';

describe('endpoint types', () => {
  it('a literal path selects the endpoint; a plain string is AnyEndpoint', () => {
    expectTypeOf<EndpointOf<'/api/v1/ws'>>().toEqualTypeOf<RoomsEndpoint>();
    expectTypeOf<EndpointOf<`/ws/channels/${string}/`>>().toEqualTypeOf<ChannelsEndpoint>();
    expectTypeOf<EndpointOf<'/ws/channels/0d7c1c2e-8a4e-4a57-9d7e-1f2a3b4c5d6e/'>>().toEqualTypeOf<ChannelsEndpoint>();
    expectTypeOf<EndpointOf<string>>().toEqualTypeOf<AnyEndpoint>();
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

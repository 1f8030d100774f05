/**
 * `/ws/channels/<uuid>/`: loads the newest page on first connect, pages back on
 * demand, sends messages with a `client_id` (shown at once, retried safely) and
 * throttled typing events. Nothing sent while away is missed: the client SDK pages
 * through `history {after_seq}` on every reconnect, from the newest message the store
 * has seen (the newest page's reply counts, and a store kept from an earlier
 * attachment seeds the new connection).
 */
import { ConnectionLostError, newClientId, type ChannelsEndpoint, type Connection, type ServerMessage } from '@switchboard/client';
import { MAX_CHANNEL_HISTORY_LIMIT, channelPath, type ChannelMessageOut } from '@switchboard/protocol';
import type { TokenUser } from '../token.js';
import { ChannelStore } from '../stores/channel-store.js';
import { TypingSender } from '../stores/typing-sender.js';
import { ConnectionBinding, settle } from './connection-binding.js';

export const CHANNEL_PAGE = 50;

export function channelKey(channelId: string): string {
  return `channel:${channelId}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class ChannelBinding extends ConnectionBinding<ChannelStore, ChannelsEndpoint> {
  private typingSender: TypingSender | undefined;
  private loadingOlder = false;
  private lastReadSent: string | undefined;

  constructor(
    readonly channelId: string,
    private readonly user: () => TokenUser | null,
  ) {
    super(channelPath(channelId), new ChannelStore());
  }

  /** Sends a message (or resends one that failed, with the same client_id). */
  send(content: string, clientId = newClientId()): string {
    const user = this.user();
    this.store.addPending({
      client_id: clientId,
      content,
      user_id: user?.id ?? '',
      user_name: user?.name ?? '',
      created_at: new Date().toISOString(),
    });
    this.typingSender?.stop();
    const connection = this.connection;
    if (!connection) {
      this.store.failPending(clientId, 'Not connected');
      return clientId;
    }
    let request: Promise<ChannelMessageOut>;
    try {
      request = connection.request('message', { content, client_id: clientId });
    } catch (error) {
      this.store.failPending(clientId, errorText(error));
      return clientId;
    }
    request.then(
      (reply) => this.store.messagesArrived([reply.data]),
      (error: unknown) => {
        // A dropped connection resends chat messages itself; anything else is final.
        if (!(error instanceof ConnectionLostError)) this.store.failPending(clientId, errorText(error));
      },
    );
    return clientId;
  }

  retry(clientId: string): void {
    const pending = this.store.getSnapshot().pending.find((item) => item.client_id === clientId);
    if (pending) this.send(pending.content, clientId);
  }

  discard(clientId: string): void {
    this.store.discardPending(clientId);
  }

  /** Marks a message read (once per message id). */
  markRead(messageId: string): void {
    const connection = this.connection;
    if (!connection || connection.state !== 'open' || this.lastReadSent === messageId) return;
    this.lastReadSent = messageId;
    connection.send('read', { message_id: messageId });
  }

  keystroke(): void {
    this.typingSender?.keystroke();
  }

  stopTyping(): void {
    this.typingSender?.stop();
  }

  /** Fetches the page before the oldest message kept. */
  loadOlder(): void {
    const connection = this.connection;
    const before = this.store.firstSeq;
    if (!connection || this.loadingOlder || before <= 1) return;
    this.loadingOlder = true;
    connection
      .request('history', { before_seq: before, limit: CHANNEL_PAGE })
      .then(
        (reply) => this.store.historyPage(reply.data, 'before'),
        () => undefined,
      )
      .finally(() => {
        this.loadingOlder = false;
      });
  }

  protected override received(message: ServerMessage): void {
    this.store.receive(message);
  }

  protected override attached(connection: Connection<ChannelsEndpoint>): void {
    this.typingSender = new TypingSender((isTyping) => {
      if (connection.state === 'open') connection.send('typing', { is_typing: isTyping });
    });
    if (!this.store.getSnapshot().loaded) return;
    // The SDK backfills only on its own (re)connects: one open already (shared with
    // another hook) may have delivered messages this store did not listen to.
    if (connection.state === 'open') this.catchUp(connection);
    else connection.seedLastSeq(this.store.lastSeq);
  }

  protected override detached(): void {
    this.typingSender?.dispose();
    this.typingSender = undefined;
    this.lastReadSent = undefined;
  }

  protected override opened(connection: Connection<ChannelsEndpoint>): void {
    // Later (re)connects are caught up by the SDK.
    if (this.store.getSnapshot().loaded) return;
    settle(connection.request('history', { limit: CHANNEL_PAGE }), (reply) => this.store.historyPage(reply.data, 'latest'));
  }

  protected override lost(): void {
    this.store.connectionLost();
    this.lastReadSent = undefined;
  }

  /** Pages through what followed the store's newest message (attaching to a connection that is open already). */
  private catchUp(connection: Connection<ChannelsEndpoint>): void {
    settle(connection.request('history', { after_seq: this.store.lastSeq, limit: MAX_CHANNEL_HISTORY_LIMIT }), (reply) => {
      this.store.historyPage(reply.data, 'after');
      if (reply.data.has_more && reply.data.messages.length > 0 && connection.state === 'open') this.catchUp(connection);
    });
  }
}

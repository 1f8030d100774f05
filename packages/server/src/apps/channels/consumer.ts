/**
 * `/ws/channels/<uuid>/` (PROTOCOL.md §2): the seed 000 ChatConsumer. Access: a public
 * channel is open to its workspace's members, a private one to its own members;
 * anyone else, and any id that is not a channel, is closed with 4003 alike.
 */
import { channelsClientSchemas, type ChannelHistoryIn, type ChannelMessageIn } from '@switchboard/protocol';
import { Consumer, on, type HandlerTable } from '../../core/consumer.js';
import type { Channel } from '../../store/workspaces.js';
import { ChannelsService, channelGroup } from './service.js';

export class ChannelConsumer extends Consumer {
  static override handlers: HandlerTable<ChannelConsumer> = {
    message: on(channelsClientSchemas.message, (c: ChannelConsumer, p, ref) => c.postMessage(p, ref)),
    typing: on(channelsClientSchemas.typing, (c: ChannelConsumer, p) => c.typing(p.is_typing ?? false)),
    read: on(channelsClientSchemas.read, (c: ChannelConsumer, p, ref) => c.markRead(p.message_id, ref)),
    history: on(channelsClientSchemas.history, (c: ChannelConsumer, p, ref) => c.history(p, ref)),
  };

  /** Set by authorize; every handler runs after it succeeded. */
  private channel: Channel | undefined;

  private get service(): ChannelsService {
    return ChannelsService.for(this.host);
  }

  private get current(): Channel {
    if (!this.channel) throw new Error('channel consumer used before authorize');
    return this.channel;
  }

  override async authorize(): Promise<boolean> {
    const channelId = this.params.channel_id ?? '';
    this.channel = await this.host.store.workspaces.accessibleChannel(channelId, this.user.id);
    return this.channel !== undefined;
  }

  override async onConnect(): Promise<void> {
    await this.join(channelGroup(this.current.id));
    // Joined first, so the joiner is among the recipients of its own presence update.
    await this.service.broadcastPresence(this.current);
  }

  override async onDisconnect(): Promise<void> {
    const channel = this.current;
    await this.service.connectionClosed(channel, this);
    await this.service.broadcastPresence(channel);
  }

  async postMessage(input: ChannelMessageIn, ref: string | undefined): Promise<void> {
    await this.service.postMessage(this.current, { id: this.user.id, name: this.user.name }, input, { consumer: this, ref });
  }

  typing(isTyping: boolean): Promise<void> {
    return this.service.setTyping(this.current, this, isTyping);
  }

  async markRead(messageId: string, ref: string | undefined): Promise<void> {
    await this.service.markRead(this.current, this.user.id, messageId, { consumer: this, ref });
  }

  async history(query: ChannelHistoryIn, ref: string | undefined): Promise<void> {
    const page = await this.service.history(this.current, {
      beforeSeq: query.before_seq,
      afterSeq: query.after_seq,
      limit: query.limit,
    });
    this.send({ type: 'history', data: page }, ref);
  }
}

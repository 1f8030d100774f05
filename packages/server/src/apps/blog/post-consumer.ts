/**
 * `/ws/blog/posts/<uuid>/` (PROTOCOL.md §4, seed 002 PostConsumer): live counters of
 * one post. `track_view` counts once per connection and tells everyone on the post;
 * `subscribe_updates` adds this connection to the post's `post_updated` audience.
 * An unknown id, a garbage id and someone else's draft all close with 4003.
 */
import { blogPostClientSchemas as schemas, type BlogPost } from '@switchboard/protocol';
import { Consumer, on, type HandlerTable } from '../../core/consumer.js';
import { EventBus, type PostReader } from '../../events/index.js';
import { blogGroups } from './groups.js';
import { BlogService } from './service.js';

export class BlogPostConsumer extends Consumer {
  static override handlers: HandlerTable<BlogPostConsumer> = {
    track_view: on(schemas.track_view, (c: BlogPostConsumer, _p, ref) => c.trackView(ref)),
    get_stats: on(schemas.get_stats, (c: BlogPostConsumer, _p, ref) => c.getStats(ref)),
    subscribe_updates: on(schemas.subscribe_updates, (c: BlogPostConsumer, _p, ref) => c.subscribeUpdates(ref)),
    unsubscribe_updates: on(schemas.unsubscribe_updates, (c: BlogPostConsumer, _p, ref) => c.unsubscribeUpdates(ref)),
  };

  /** Set by authorize; every handler runs after it succeeded. */
  private post: BlogPost | undefined;
  private viewCounted = false;

  private get service(): BlogService {
    return BlogService.for(this.host);
  }

  private get current(): BlogPost {
    if (!this.post) throw new Error('blog post consumer used before authorize');
    return this.post;
  }

  private get postId(): string {
    return this.current.id;
  }

  private get reader(): PostReader {
    return { postId: this.postId, userId: this.user.id, userName: this.user.name, connectionId: this.id };
  }

  override async authorize(): Promise<boolean> {
    this.post = await this.service.visiblePost(this.params.post_id ?? '', this.user);
    return this.post !== undefined;
  }

  override async onConnect(): Promise<void> {
    await this.join(blogGroups.post(this.postId));
    this.service.heartbeat.add(this);
    await EventBus.for(this.host).publish('post.reader_joined', this.reader);
  }

  override async onDisconnect(): Promise<void> {
    this.service.heartbeat.delete(this);
    await EventBus.for(this.host).publish('post.reader_left', this.reader);
  }

  async trackView(ref: string | undefined): Promise<void> {
    if (this.viewCounted) {
      // Already counted on this connection: answer the sender with the current figures only.
      this.send({ type: 'post_stats', data: await this.service.stats(this.postId) }, ref);
      return;
    }
    const stats = await this.service.countView(this.postId, this.user.id);
    this.viewCounted = true;
    await this.service.publishStats(this.postId, stats, { consumer: this, ref });
  }

  async getStats(ref: string | undefined): Promise<void> {
    this.send({ type: 'post_stats', data: await this.service.stats(this.postId) }, ref);
  }

  async subscribeUpdates(ref: string | undefined): Promise<void> {
    await this.join(this.service.updatesGroup(this.current, this.user));
    this.send({ type: 'updates_subscribed', data: { post_id: this.postId } }, ref);
  }

  async unsubscribeUpdates(ref: string | undefined): Promise<void> {
    await this.leave(this.service.updatesGroup(this.current, this.user));
    this.send({ type: 'updates_unsubscribed', data: { post_id: this.postId } }, ref);
  }
}

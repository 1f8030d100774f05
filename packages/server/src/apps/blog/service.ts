/**
 * Blog behaviour shared by the two WebSocket consumers and the REST routes, so a
 * comment, like or edit made either way is stored, broadcast and announced the same
 * way (PROTOCOL.md §4, §7): the database commits first, then the channel layer fans
 * out, then domain events (notifications, analytics) run on the event bus.
 *
 * Access rule: a published post is open to every authenticated user; a draft only to
 * its author and to staff. Editing and publishing: the author or staff. Approving a
 * held comment: staff.
 *
 * Moderation rule: on a post with `moderate_comments`, comments by anyone but staff
 * and the post's author are held (stored, not broadcast, not counted) until a staff
 * user approves them; on other posts every comment is approved at once.
 */
import { BLOG_TYPING_TIMEOUT_MS, ErrorCode, type BlogComment, type BlogPost, type BlogPostStats } from '@switchboard/protocol';
import type { Consumer } from '../../core/consumer.js';
import type { ServerContext } from '../../core/context.js';
import { ClientError } from '../../core/errors.js';
import { encodeMessage } from '../../core/frame.js';
import { EventBus } from '../../events/index.js';
import type { PresenceMember } from '../../presence/types.js';
import { BlogRepository, type BlogViewer, type LikeResult, type PostChanges } from '../../store/blog.js';
import { announceDepartures } from '../shared/departures.js';
import { Heartbeat } from '../shared/heartbeat.js';
import { publish, type Origin, type OutgoingMessage } from '../shared/publish.js';
import { blogGroups, postOfTypingTopic } from './groups.js';
import { TypingTracker, type Typer } from './typing.js';

/** A user acting on the blog, with the display name stored on what they write. */
export interface BlogActor extends BlogViewer {
  name: string;
}

export interface NewPostInput {
  title: string;
  content: string;
  status: 'draft' | 'published';
  moderateComments: boolean;
}

/** Period of the shared typing sweep: a silent typer is dropped within timeout + this. */
const TYPING_SWEEP_MS = 1000;

export function canView(post: BlogPost, viewer: BlogViewer): boolean {
  return post.status === 'published' || post.author_id === viewer.id || viewer.isStaff;
}

export function canEdit(post: BlogPost, viewer: BlogViewer): boolean {
  return post.author_id === viewer.id || viewer.isStaff;
}

function isHeld(post: BlogPost, author: BlogViewer): boolean {
  return post.moderate_comments && !author.isStaff && author.id !== post.author_id;
}

/** `user_typing` for a user who started or stopped typing, with who is typing now. */
export function userTypingMessage(user: PresenceMember, isTyping: boolean, typingUsers: string[]): OutgoingMessage {
  return { type: 'user_typing', data: { user: user.userName, user_id: user.userId, is_typing: isTyping, typing_users: typingUsers } };
}

const services = new WeakMap<ServerContext, BlogService>();

export class BlogService {
  readonly repository: BlogRepository;
  readonly heartbeat = new Heartbeat();
  readonly typing: TypingTracker;
  private readonly bus: EventBus;
  private sweepTimer: NodeJS.Timeout | undefined;
  private stopDepartures: (() => void) | undefined;

  /** The service of one server: its timers and typing entries are per instance. */
  static for(context: ServerContext): BlogService {
    let service = services.get(context);
    if (!service) {
      service = new BlogService(context);
      services.set(context, service);
    }
    return service;
  }

  private constructor(private readonly context: ServerContext) {
    this.repository = new BlogRepository(context.store.db);
    this.bus = EventBus.for(context);
    this.typing = new TypingTracker(
      context.presence,
      BLOG_TYPING_TIMEOUT_MS,
      (typer) => this.broadcastTyping(typer, false),
      context.logger,
    );
  }

  /**
   * Starts the two shared timers (the seed-002 heartbeat and the typing sweep) and
   * `is_typing:false` for typers whose instance died.
   */
  start(): void {
    this.heartbeat.start(this.context.options.heartbeatIntervalMs);
    this.stopDepartures ??= announceDepartures(this.context, {
      keyOf: postOfTypingTopic,
      group: blogGroups.comments,
      message: async (postId, user) => userTypingMessage(user, false, await this.typing.typingUsers(postId)),
      exceptUser: true,
    });
    if (this.sweepTimer) return;
    this.sweepTimer = setInterval(() => void this.typing.sweep(), TYPING_SWEEP_MS);
    this.sweepTimer.unref();
  }

  stop(): void {
    this.heartbeat.stop();
    this.stopDepartures?.();
    this.stopDepartures = undefined;
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    this.typing.clear();
  }

  /** The post when it exists and the viewer may see it; unknown and hidden look the same. */
  async visiblePost(postId: string, viewer: BlogViewer): Promise<BlogPost | undefined> {
    const post = await this.repository.findPost(postId);
    return post && canView(post, viewer) ? post : undefined;
  }

  // ---- posts ----

  async createPost(author: BlogActor, input: NewPostInput): Promise<BlogPost> {
    const post = await this.repository.createPost({ authorId: author.id, authorName: author.name, ...input });
    if (post.status === 'published') await this.bus.publish('post.published', { post });
    return post;
  }

  /**
   * Applies an edit by the author or staff. When anything changed, `post_updated` goes
   * to the post's subscribers; the first publication is announced on the bus.
   */
  async updatePost(post: BlogPost, editor: BlogViewer, changes: PostChanges): Promise<BlogPost> {
    if (!canEdit(post, editor)) throw new ClientError(ErrorCode.Forbidden, 'Only the author or staff can change this post');
    const result = await this.repository.updatePost(post.id, changes);
    if (!result) throw new ClientError(ErrorCode.NotFound, 'Post not found');
    if (result.changed) await this.pushUpdate(result.post);
    if (result.firstPublished) await this.bus.publish('post.published', { post: result.post });
    return result.post;
  }

  /** `post_updated` to the post's subscribers; while it is a draft only to those who may see drafts. */
  private async pushUpdate(post: BlogPost): Promise<void> {
    const frame = encodeMessage({ type: 'post_updated', data: post });
    const { layer } = this.context;
    const sends = [layer.groupSend(blogGroups.editorUpdates(post.id), frame)];
    if (post.status === 'published') sends.push(layer.groupSend(blogGroups.updates(post.id), frame));
    await Promise.all(sends);
  }

  /** The group a subscriber joins for `post_updated`, by what it may see. */
  updatesGroup(post: BlogPost, viewer: BlogViewer): string {
    return canEdit(post, viewer) ? blogGroups.editorUpdates(post.id) : blogGroups.updates(post.id);
  }

  async stats(postId: string): Promise<BlogPostStats> {
    const stats = await this.repository.stats(postId);
    if (!stats) throw new ClientError(ErrorCode.NotFound, 'Post not found');
    return stats;
  }

  /** Counts a view (the consumer makes sure it is once per connection) and announces it. */
  async countView(postId: string, viewerId: string): Promise<BlogPostStats> {
    const stats = await this.repository.addView(postId);
    if (!stats) throw new ClientError(ErrorCode.NotFound, 'Post not found');
    await this.bus.publish('post.viewed', { postId, userId: viewerId });
    return stats;
  }

  /** Sends `post_stats` to everyone on the post socket (with `ref` on the origin's copy). */
  publishStats(postId: string, stats: BlogPostStats, origin?: Origin): Promise<void> {
    return publish(this.context.layer, blogGroups.post(postId), { type: 'post_stats', data: stats }, origin);
  }

  // ---- likes ----

  /** Likes (or unlikes) once per user; `post_stats` only when the count changed. */
  async setLiked(post: BlogPost, userId: string, liked: boolean): Promise<LikeResult> {
    const result = liked ? await this.repository.like(post.id, userId) : await this.repository.unlike(post.id, userId);
    if (result.changed) await this.publishStats(post.id, result.stats);
    return result;
  }

  // ---- comments ----

  /**
   * Stores a comment. An approved one goes to the comments group as `comment_added`
   * and its new count to the post group; a held one only back to its origin as
   * `comment_held`. Either way `comment.created` runs on the bus afterwards.
   */
  async addComment(post: BlogPost, author: BlogActor, content: string, origin?: Origin): Promise<BlogComment> {
    if (content.trim() === '') throw new ClientError(ErrorCode.InvalidPayload, 'content: must not be empty');
    const { comment, stats } = await this.repository.createComment({
      postId: post.id,
      authorId: author.id,
      authorName: author.name,
      content,
      approved: !isHeld(post, author),
    });
    if (comment.approved) {
      await publish(this.context.layer, blogGroups.comments(post.id), { type: 'comment_added', data: comment }, origin);
      await this.publishStats(post.id, stats);
    } else {
      origin?.consumer.send({ type: 'comment_held', data: comment }, origin.ref);
    }
    await this.bus.publish('comment.created', { comment, post: { ...post, ...stats } });
    return comment;
  }

  /** Staff approve a held comment: `comment_approved` to the comments group, new counts to the post group. */
  async approveComment(commentId: string, staff: BlogViewer): Promise<BlogComment> {
    if (!staff.isStaff) throw new ClientError(ErrorCode.Forbidden, 'Only staff can approve comments');
    const result = await this.repository.approveComment(commentId, staff.id);
    if (!result) throw new ClientError(ErrorCode.NotFound, 'Comment not found');
    const { comment, stats, changed } = result;
    if (changed) {
      await publish(this.context.layer, blogGroups.comments(comment.post_id), { type: 'comment_approved', data: comment });
      await this.publishStats(comment.post_id, stats);
      const post = await this.repository.findPost(comment.post_id);
      if (post) await this.bus.publish('comment.approved', { comment, post, approvedBy: staff.id });
    }
    return comment;
  }

  // ---- typing ----

  /** `typing_start`: the others on the post hear of it when the user was not typing there yet. */
  async startTyping(consumer: Consumer, postId: string): Promise<void> {
    const typer = this.typerOf(consumer, postId);
    if (await this.typing.begin(typer)) await this.broadcastTyping(typer, true);
  }

  /** `typing_stop` or a closed connection: `is_typing:false` once the user's last typing connection stopped. */
  async stopTyping(consumer: Consumer): Promise<void> {
    const typer = await this.typing.end(consumer.id);
    if (typer) await this.broadcastTyping(typer, false);
  }

  private typerOf(consumer: Consumer, postId: string): Typer {
    return { postId, userId: consumer.user.id, userName: consumer.user.name, connectionId: consumer.id };
  }

  /** `user_typing` to the post's comment sockets, never to the typer's own connections. */
  private async broadcastTyping(typer: Typer, isTyping: boolean): Promise<void> {
    const message = userTypingMessage(typer, isTyping, await this.typing.typingUsers(typer.postId));
    await this.context.layer.groupSend(blogGroups.comments(typer.postId), encodeMessage(message), { exceptUser: typer.userId });
  }
}

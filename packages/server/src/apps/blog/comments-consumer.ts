/**
 * `/ws/blog/comments/<uuid>/` (PROTOCOL.md §4, seed 002 CommentConsumer): comments of
 * one post and who is typing one. Access as for the post socket (4003 otherwise).
 */
import { ErrorCode, blogCommentsClientSchemas as schemas, type BlogPost } from '@switchboard/protocol';
import { Consumer, on, type HandlerTable } from '../../core/consumer.js';
import { ClientError } from '../../core/errors.js';
import { blogGroups } from './groups.js';
import { BlogService } from './service.js';

export class BlogCommentsConsumer extends Consumer {
  static override handlers: HandlerTable<BlogCommentsConsumer> = {
    typing_start: on(schemas.typing_start, (c: BlogCommentsConsumer) => c.service.startTyping(c, c.current.id)),
    typing_stop: on(schemas.typing_stop, (c: BlogCommentsConsumer) => c.service.stopTyping(c)),
    get_comments: on(schemas.get_comments, (c: BlogCommentsConsumer, p, ref) => c.getComments(p.limit, ref)),
    add_comment: on(schemas.add_comment, (c: BlogCommentsConsumer, p, ref) => c.addComment(p.content, ref)),
  };

  /** Set by authorize; every handler runs after it succeeded. */
  private post: BlogPost | undefined;

  get service(): BlogService {
    return BlogService.for(this.host);
  }

  get current(): BlogPost {
    if (!this.post) throw new Error('blog comments consumer used before authorize');
    return this.post;
  }

  override async authorize(): Promise<boolean> {
    this.post = await this.service.visiblePost(this.params.post_id ?? '', this.user);
    return this.post !== undefined;
  }

  /**
   * The post as it is now: it may have gone back to draft (then a reader gets
   * not_found) or had moderation switched on since this connection opened.
   */
  private async visiblePost(): Promise<BlogPost> {
    const post = await this.service.visiblePost(this.current.id, this.user);
    if (!post) throw new ClientError(ErrorCode.NotFound, 'Post not found');
    return post;
  }

  override async onConnect(): Promise<void> {
    await this.join(blogGroups.comments(this.current.id));
    this.service.heartbeat.add(this);
  }

  override async onDisconnect(): Promise<void> {
    this.service.heartbeat.delete(this);
    await this.service.stopTyping(this);
  }

  async getComments(limit: number | undefined, ref: string | undefined): Promise<void> {
    await this.visiblePost();
    const comments = await this.service.repository.listComments(this.current.id, this.user, limit);
    this.send({ type: 'comments', data: { comments } }, ref);
  }

  async addComment(content: string, ref: string | undefined): Promise<void> {
    const post = await this.visiblePost();
    await this.service.addComment(post, { id: this.user.id, name: this.user.name, isStaff: this.user.isStaff }, content, {
      consumer: this,
      ref,
    });
  }
}

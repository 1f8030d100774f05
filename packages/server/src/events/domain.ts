/**
 * The domain events of Switchboard's features, by name. Payloads carry the committed
 * rows in their wire shape, so handlers build messages without reading them again.
 */
import type { BlogComment, BlogPost } from '@switchboard/protocol';

/** A reader's connection to a blog post socket (live visitors). */
export interface PostReader {
  postId: string;
  userId: string;
  userName: string;
  /** Process-unique connection id; a user with two tabs is two readers, one visitor. */
  connectionId: number;
}

export interface DomainEvents {
  /** A post was published for the first time (REST create, PATCH or publish). */
  'post.published': { post: BlogPost };
  /** A `track_view` was counted (once per connection). */
  'post.viewed': { postId: string; userId: string };
  /** A connection to a blog post socket opened / closed. */
  'post.reader_joined': PostReader;
  'post.reader_left': PostReader;
  /** A comment was stored; `comment.approved` is false while it is held. */
  'comment.created': { comment: BlogComment; post: BlogPost };
  /** Staff approved a held comment. */
  'comment.approved': { comment: BlogComment; post: BlogPost; approvedBy: string };
}

export type DomainEventName = keyof DomainEvents;

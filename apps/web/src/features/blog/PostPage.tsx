/** One post with live stats (views, likes, comments), likes, publishing, and live comments. */
import { useBlogPost, useCurrentUser } from '@switchboard/react';
import { useState, type ReactNode } from 'react';
import { blog } from '../../api/endpoints.js';
import { errorMessage } from '../../api/http.js';
import { href, Link } from '../../router.js';
import { ConnectionBadge, EmptyState, ErrorBanner, Loading } from '../../ui/feedback.js';
import { formatTime } from '../../ui/format.js';
import { useResource } from '../../ui/use-resource.js';
import { Comments } from './Comments.js';

export function PostPage({ postId }: { postId: string }): ReactNode {
  const me = useCurrentUser();
  const loaded = useResource(postId, () => blog.get(postId));
  const live = useBlogPost(loaded.data ? postId : null);
  const [liked, setLiked] = useState<boolean | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  if (loaded.error) {
    return (
      <div className="page narrow">
        <Link to={href('blog')}>← All posts</Link>
        <EmptyState title="Post not found">{loaded.error}</EmptyState>
      </div>
    );
  }
  if (!loaded.data) return <Loading />;
  const post = live.post ?? loaded.data;
  const stats = live.stats ?? post;

  const toggleLike = async () => {
    setError(null);
    try {
      const result = liked ? await blog.unlike(postId) : await blog.like(postId);
      setLiked(result.liked);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };
  const publish = async () => {
    setError(null);
    try {
      loaded.setData(() => undefined);
      await blog.publish(postId);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      await loaded.reload();
    }
  };
  const canEdit = me?.id === post.author_id || me?.isStaff === true;

  return (
    <div className="page narrow">
      <Link to={href('blog')}>← All posts</Link>
      <article className="card post">
        <div className="post-head">
          <h1 data-testid="post-title">{post.title}</h1>
          <ConnectionBadge connection={live.connection} />
        </div>
        <div className="muted">
          {post.author} · {formatTime(post.published_at ?? post.created_at)} {post.status === 'draft' && <span className="tag">draft</span>}
        </div>
        <div className="stats" data-testid="post-stats">
          <span data-testid="stat-views">{stats.view_count} views</span>
          <span data-testid="stat-likes">{stats.like_count} likes</span>
          <span data-testid="stat-comments">{stats.comment_count} comments</span>
        </div>
        <ErrorBanner error={error} onDismiss={() => setError(null)} />
        <div className="post-content" data-testid="post-content">
          {post.content}
        </div>
        <div className="toolbar">
          <button type="button" className={liked ? 'primary' : ''} data-testid="post-like" onClick={() => void toggleLike()}>
            {liked ? '♥ Liked' : '♡ Like'}
          </button>
          {canEdit && post.status === 'draft' && (
            <button type="button" data-testid="post-publish" onClick={() => void publish()}>
              Publish
            </button>
          )}
        </div>
      </article>
      <Comments postId={postId} moderated={post.moderate_comments} canApprove={me?.isStaff === true} />
    </div>
  );
}

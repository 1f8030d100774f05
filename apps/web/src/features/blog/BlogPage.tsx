/** The blog: posts newest first and a form for a new one; a post opens its live page. */
import type { BlogPost } from '@switchboard/protocol';
import { useState, type ReactNode } from 'react';
import { blog } from '../../api/endpoints.js';
import { href, Link, navigate } from '../../router.js';
import { EmptyState, ErrorBanner, FieldError, Loading } from '../../ui/feedback.js';
import { formatTime } from '../../ui/format.js';
import { useResource } from '../../ui/use-resource.js';
import { useSubmit } from '../../ui/use-submit.js';
import { PostPage } from './PostPage.js';

function NewPostForm({ onCreated }: { onCreated: (post: BlogPost) => void }): ReactNode {
  const [title, setTitle] = useState('');
  const [content, setContent] = useState('');
  const [publish, setPublish] = useState(true);
  const submission = useSubmit();
  const submit = submission.onSubmit(async () => {
    const post = await blog.create({ title: title.trim(), content, status: publish ? 'published' : 'draft' });
    setTitle('');
    setContent('');
    onCreated(post);
  });
  return (
    <form className="card stack" onSubmit={submit} data-testid="blog-create-form">
      <h2>Write a post</h2>
      <input data-testid="blog-create-title" placeholder="Title" value={title} maxLength={200} onChange={(event) => setTitle(event.target.value)} />
      <textarea data-testid="blog-create-content" placeholder="What's new?" rows={4} value={content} onChange={(event) => setContent(event.target.value)} />
      <div className="toolbar">
        <label className="checkbox">
          <input type="checkbox" data-testid="blog-create-publish" checked={publish} onChange={(event) => setPublish(event.target.checked)} />
          Publish now
        </label>
        <button type="submit" className="primary" data-testid="blog-create-submit" disabled={submission.busy || !title.trim()}>
          {publish ? 'Publish' : 'Save draft'}
        </button>
      </div>
      <FieldError error={submission.error} />
    </form>
  );
}

export function BlogPage({ postId }: { postId: string | undefined }): ReactNode {
  const list = useResource(postId ? null : 'posts', blog.list);
  if (postId) return <PostPage key={postId} postId={postId} />;
  const posts = list.data?.posts ?? [];
  return (
    <div className="page narrow">
      <NewPostForm onCreated={(post) => navigate(href('blog', post.id))} />
      <ErrorBanner error={list.error} />
      {list.loading && !list.data ? (
        <Loading />
      ) : posts.length === 0 ? (
        <EmptyState title="No posts yet" testId="blog-empty">
          Write the first one above.
        </EmptyState>
      ) : (
        <ul className="post-list" data-testid="blog-post-list">
          {posts.map((post) => (
            <li key={post.id} className="card post-summary" data-testid="blog-post-item" data-id={post.id}>
              <Link to={href('blog', post.id)} className="post-summary-title">
                {post.title}
              </Link>
              {post.status === 'draft' && <span className="tag">draft</span>}
              <div className="muted">
                {post.author} · {formatTime(post.published_at ?? post.created_at)} · {post.view_count} views · {post.like_count} likes · {post.comment_count} comments
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * Blog REST routes (PROTOCOL.md §8). Changes made here reach the WebSocket endpoints
 * exactly like changes made there (BlogService). A post the caller may not see answers
 * 404, like one that does not exist; 403 is for a visible post or comment where the
 * action is not allowed (editing someone else's post, approving without staff).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { BlogPost, BlogPostStatus } from '@switchboard/protocol';
import { ErrorCode } from '@switchboard/protocol';
import type { AuthUser } from '../../core/auth.js';
import type { ServerContext } from '../../core/context.js';
import { routeCallers } from '../../http/authenticate.js';
import { HttpError, asHttp } from '../../http/errors.js';
import { errorResponses, idParams, type IdParams } from '../../http/schemas.js';
import {
  commentBody,
  commentSchema,
  createPostBody,
  likeSchema,
  listCommentsQuery,
  listPostsQuery,
  postSchema,
  updatePostBody,
} from './http-schemas.js';
import { namedUser } from '../shared/identity.js';
import { BlogService, type BlogActor } from './service.js';

interface CreatePostBody {
  title: string;
  content: string;
  status: BlogPostStatus;
  moderate_comments: boolean;
}

interface UpdatePostBody {
  title?: string;
  content?: string;
  status?: BlogPostStatus;
  moderate_comments?: boolean;
}

/** The caller with the display name stored on what they write. */
async function actorOf(context: ServerContext, user: AuthUser): Promise<BlogActor> {
  return { ...(await namedUser(context, user)), isStaff: user.isStaff };
}

const bearer = [{ bearer: [] }];

export function blogRoutes(fastify: FastifyInstance, context: ServerContext): void {
  const service = BlogService.for(context);
  const { authenticate, caller } = routeCallers(context);

  const visiblePost = async (request: FastifyRequest<{ Params: IdParams }>): Promise<BlogPost> => {
    const post = await service.visiblePost(request.params.id, caller(request));
    if (!post) throw new HttpError(ErrorCode.NotFound, 'Post not found');
    return post;
  };

  fastify.post<{ Body: CreatePostBody }>(
    '/api/blog/posts',
    {
      onRequest: authenticate,
      schema: {
        tags: ['blog'],
        summary: 'Create a post (draft by default); creating it published notifies blog_post_published subscribers',
        security: bearer,
        body: createPostBody,
        response: { 201: postSchema, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const { title, content, status, moderate_comments: moderateComments } = request.body;
      const author = await actorOf(context, caller(request));
      const post = await service.createPost(author, { title, content, status, moderateComments });
      return reply.code(201).send(post);
    },
  );

  fastify.get<{ Querystring: { status?: BlogPostStatus; limit?: number; offset?: number } }>(
    '/api/blog/posts',
    {
      onRequest: authenticate,
      schema: {
        tags: ['blog'],
        summary: "Posts the caller may see (published ones and the caller's drafts; staff: all), newest first",
        security: bearer,
        querystring: listPostsQuery,
        response: { 200: { type: 'object', properties: { posts: { type: 'array', items: postSchema } } }, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const { status, limit, offset } = request.query;
      return { posts: await service.repository.listPosts(caller(request), { status, limit, offset }) };
    },
  );

  fastify.get<{ Params: IdParams }>(
    '/api/blog/posts/:id',
    {
      onRequest: authenticate,
      schema: {
        tags: ['blog'],
        summary: 'One post',
        security: bearer,
        params: idParams,
        response: { 200: postSchema, ...errorResponses(401, 404) },
      },
    },
    (request) => visiblePost(request),
  );

  fastify.patch<{ Params: IdParams; Body: UpdatePostBody | undefined }>(
    '/api/blog/posts/:id',
    {
      onRequest: authenticate,
      schema: {
        tags: ['blog'],
        summary: 'Change a post (author or staff); post_updated to its subscribers when anything changed',
        security: bearer,
        params: idParams,
        body: updatePostBody,
        response: { 200: postSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const post = await visiblePost(request);
      const { title, content, status, moderate_comments: moderateComments } = request.body ?? {};
      return asHttp(service.updatePost(post, caller(request), { title, content, status, moderateComments }));
    },
  );

  fastify.post<{ Params: IdParams }>(
    '/api/blog/posts/:id/publish',
    {
      onRequest: authenticate,
      schema: {
        tags: ['blog'],
        summary: 'Publish a post (author or staff); the first publication notifies blog_post_published subscribers',
        security: bearer,
        params: idParams,
        response: { 200: postSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const post = await visiblePost(request);
      return asHttp(service.updatePost(post, caller(request), { status: 'published' }));
    },
  );

  fastify.get<{ Params: IdParams; Querystring: { limit?: number } }>(
    '/api/blog/posts/:id/comments',
    {
      onRequest: authenticate,
      schema: {
        tags: ['blog'],
        summary: "The newest comments, oldest first: approved ones and the caller's own held ones (staff: all)",
        security: bearer,
        params: idParams,
        querystring: listCommentsQuery,
        response: {
          200: { type: 'object', properties: { comments: { type: 'array', items: commentSchema } } },
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request) => {
      const post = await visiblePost(request);
      return { comments: await service.repository.listComments(post.id, caller(request), request.query.limit) };
    },
  );

  fastify.post<{ Params: IdParams; Body: { content: string } }>(
    '/api/blog/posts/:id/comments',
    {
      onRequest: authenticate,
      schema: {
        tags: ['blog'],
        summary: 'Comment on a post: stored, then comment_added to its comment sockets (held comments wait for staff approval)',
        security: bearer,
        params: idParams,
        body: commentBody,
        response: { 201: commentSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const post = await visiblePost(request);
      const author = await actorOf(context, caller(request));
      const comment = await asHttp(service.addComment(post, author, request.body.content));
      return reply.code(201).send(comment);
    },
  );

  fastify.post<{ Params: IdParams }>(
    '/api/blog/posts/:id/like',
    {
      onRequest: authenticate,
      schema: {
        tags: ['blog'],
        summary: 'Like a post, once per user: 201 the first time (post_stats to its sockets), 200 when already liked',
        security: bearer,
        params: idParams,
        response: { 200: likeSchema, 201: likeSchema, ...errorResponses(401, 404) },
      },
    },
    async (request, reply) => {
      const post = await visiblePost(request);
      const result = await service.setLiked(post, caller(request).id, true);
      return reply.code(result.changed ? 201 : 200).send({ liked: true, ...result });
    },
  );

  fastify.delete<{ Params: IdParams }>(
    '/api/blog/posts/:id/like',
    {
      onRequest: authenticate,
      schema: {
        tags: ['blog'],
        summary: "Take back the caller's like (post_stats to its sockets when there was one)",
        security: bearer,
        params: idParams,
        response: { 200: likeSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const post = await visiblePost(request);
      return { liked: false, ...(await service.setLiked(post, caller(request).id, false)) };
    },
  );

  fastify.post<{ Params: IdParams }>(
    '/api/blog/comments/:id/approve',
    {
      onRequest: authenticate,
      schema: {
        tags: ['blog'],
        summary: 'Approve a held comment (staff): comment_approved to the comment sockets, the author is notified',
        security: bearer,
        params: idParams,
        response: { 200: commentSchema, ...errorResponses(401, 403, 404) },
      },
    },
    (request) => asHttp(service.approveComment(request.params.id, caller(request))),
  );
}

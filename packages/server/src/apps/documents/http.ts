/**
 * Document REST routes (PROTOCOL.md §8): create a document in a workspace, read it,
 * list its version history, read one version. A document or workspace the caller
 * cannot access answers 404, exactly like one that does not exist.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  DEFAULT_DOCUMENT_VERSIONS_LIMIT,
  ErrorCode,
  MAX_DOCUMENT_TITLE_LENGTH,
  MAX_DOCUMENT_VERSION,
  MAX_DOCUMENT_VERSIONS_LIMIT,
  maxDocumentBytes,
  type DocumentResource,
  type DocumentVersionResource,
} from '@switchboard/protocol';
import type { ServerContext } from '../../core/context.js';
import { routeCallers } from '../../http/authenticate.js';
import { HttpError } from '../../http/errors.js';
import { errorResponses, idParams, type IdParams } from '../../http/schemas.js';
import type { Document, DocumentVersion } from '../../store/documents.js';
import { memberWorkspace } from '../shared/workspaces.js';
import { accessibleDocument } from './access.js';

const documentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    workspace_id: { type: 'string', format: 'uuid' },
    title: { type: 'string' },
    content: { type: 'string' },
    version: { type: 'integer' },
    created_by: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

const versionSchema = {
  type: 'object',
  properties: {
    version: { type: 'integer' },
    user_id: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
    content: { type: 'string' },
  },
} as const;

function wireDocument(document: Document): DocumentResource {
  return {
    id: document.id,
    workspace_id: document.workspaceId,
    title: document.title,
    content: document.content,
    version: document.version,
    created_by: document.createdBy,
    created_at: document.createdAt,
    updated_at: document.updatedAt,
  };
}

function wireVersion(version: Omit<DocumentVersion, 'content'> & { content?: string }): DocumentVersionResource {
  const wire: DocumentVersionResource = { version: version.version, user_id: version.userId, created_at: version.createdAt };
  if (version.content !== undefined) wire.content = version.content;
  return wire;
}

export function documentRoutes(fastify: FastifyInstance, context: ServerContext): void {
  const { store } = context;
  const { authenticate, caller } = routeCallers(context);

  const memberDocument = async (request: FastifyRequest<{ Params: IdParams }>): Promise<Document> => {
    const document = await accessibleDocument(store, request.params.id, caller(request).id);
    if (!document) throw new HttpError(ErrorCode.NotFound, 'Document not found');
    return document;
  };

  fastify.post<{ Params: IdParams; Body: { title: string; content?: string } }>(
    '/api/workspaces/:id/documents',
    {
      onRequest: authenticate,
      schema: {
        tags: ['documents'],
        summary: 'Create a document (version 1) in a workspace the caller is a member of',
        security: [{ bearer: [] }],
        params: idParams,
        body: {
          type: 'object',
          required: ['title'],
          properties: {
            title: { type: 'string', minLength: 1, maxLength: MAX_DOCUMENT_TITLE_LENGTH, pattern: '\\S' },
            content: { type: 'string' },
          },
        },
        response: { 201: documentSchema, ...errorResponses(400, 401, 404, 413) },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      const workspace = await memberWorkspace(store, request.params.id, user.id);
      const content = request.body.content ?? '';
      const maxBytes = maxDocumentBytes(context.options.maxMessageBytes);
      if (Buffer.byteLength(content) > maxBytes) throw new HttpError(ErrorCode.TooLarge, `content must be at most ${maxBytes} bytes of UTF-8`);
      const document = await store.documents.create({ workspaceId: workspace.id, title: request.body.title.trim(), content, userId: user.id });
      return reply.code(201).send(wireDocument(document));
    },
  );

  fastify.get<{ Params: IdParams }>(
    '/api/documents/:id',
    {
      onRequest: authenticate,
      schema: {
        tags: ['documents'],
        summary: 'A document: its current content and version',
        security: [{ bearer: [] }],
        params: idParams,
        response: { 200: documentSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => wireDocument(await memberDocument(request)),
  );

  fastify.get<{ Params: IdParams; Querystring: { limit?: number; before_version?: number } }>(
    '/api/documents/:id/versions',
    {
      onRequest: authenticate,
      schema: {
        tags: ['documents'],
        summary: 'Version history, newest first, without content; `before_version` pages back',
        security: [{ bearer: [] }],
        params: idParams,
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: MAX_DOCUMENT_VERSIONS_LIMIT },
            before_version: { type: 'integer', minimum: 1, maximum: MAX_DOCUMENT_VERSION },
          },
        },
        response: {
          200: { type: 'object', properties: { versions: { type: 'array', items: versionSchema }, has_more: { type: 'boolean' } } },
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request) => {
      const document = await memberDocument(request);
      const page = await store.documents.versions(document.id, {
        limit: request.query.limit ?? DEFAULT_DOCUMENT_VERSIONS_LIMIT,
        ...(request.query.before_version === undefined ? {} : { beforeVersion: request.query.before_version }),
      });
      return { versions: page.versions.map(wireVersion), has_more: page.hasMore };
    },
  );

  fastify.get<{ Params: IdParams & { version: number } }>(
    '/api/documents/:id/versions/:version',
    {
      onRequest: authenticate,
      schema: {
        tags: ['documents'],
        summary: 'One version of a document, with its content',
        security: [{ bearer: [] }],
        params: {
          type: 'object',
          required: ['id', 'version'],
          properties: { id: { type: 'string', maxLength: 100 }, version: { type: 'integer', minimum: 1, maximum: MAX_DOCUMENT_VERSION } },
        },
        response: { 200: versionSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const document = await memberDocument(request);
      const version = await store.documents.version(document.id, request.params.version);
      if (!version) throw new HttpError(ErrorCode.NotFound, 'Version not found');
      return wireVersion(version);
    },
  );
}

/**
 * Job conversations (seed 004, PROTOCOL.md §6 and §8): the `/ws/chat/{conversation_id}/`
 * endpoint and the `/api/chat/conversations` REST routes.
 */
import { CONVERSATIONS_PATH } from '@switchboard/protocol';
import type { App } from '../../core/app.js';
import { ConversationConsumer } from './consumer.js';
import { conversationRoutes } from './http.js';

export function conversationsApp(): App {
  return {
    name: 'conversations',
    routes: [{ path: CONVERSATIONS_PATH, consumer: ConversationConsumer }],
    http(fastify, context) {
      conversationRoutes(fastify, context);
    },
  };
}

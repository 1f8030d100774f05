/** Store records → the snake_case shapes of PROTOCOL.md §6/§8. */
import type { ConversationInfo, ConversationMessage, ConversationMessageRecord } from '@switchboard/protocol';
import { roleOf, type NamedConversation, type StoredConversationMessage } from '../../store/conversations.js';

/** The broadcast shape: exactly the seed's eight fields. */
export function wireMessage(message: StoredConversationMessage): ConversationMessage {
  return {
    id: message.id,
    conversation_id: message.conversationId,
    sender_id: message.senderId,
    sender_name: message.senderName,
    message_text: message.text,
    message_type: message.type,
    timestamp: message.createdAt,
    is_read: message.isRead,
  };
}

/** The REST shape: the broadcast fields plus order and delivery state. */
export function wireMessageRecord(message: StoredConversationMessage): ConversationMessageRecord {
  return { ...wireMessage(message), seq: message.seq, delivery_status: message.deliveryStatus };
}

/** A conversation from the point of view of `callerId` (who may be a staff member outside it). */
export function wireConversation(conversation: NamedConversation, callerId: string | undefined): ConversationInfo {
  const role = callerId === undefined ? undefined : roleOf(conversation, callerId);
  let otherParticipant: ConversationInfo['other_participant'] = null;
  if (role === 'client') otherParticipant = { id: conversation.workerId, name: conversation.workerName };
  if (role === 'worker') otherParticipant = { id: conversation.clientId, name: conversation.clientName };
  const unreadCount = role === 'client' ? conversation.clientUnreadCount : role === 'worker' ? conversation.workerUnreadCount : 0;
  return {
    id: conversation.id,
    job_ref: conversation.jobRef,
    title: conversation.title,
    client_id: conversation.clientId,
    client_name: conversation.clientName,
    worker_id: conversation.workerId,
    worker_name: conversation.workerName,
    role: role ?? null,
    other_participant: otherParticipant,
    unread_count: unreadCount,
    last_message_text: conversation.lastMessageText,
    last_message_at: conversation.lastMessageAt,
    last_message_sender_id: conversation.lastMessageSenderId,
    created_at: conversation.createdAt,
    updated_at: conversation.updatedAt,
  };
}

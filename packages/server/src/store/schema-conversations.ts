/** Tables of the conversations feature (filled in by the feature). */
export interface ConversationsTables {}

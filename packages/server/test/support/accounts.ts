/** Names and the password of test accounts. */
import { randomUUID } from 'node:crypto';

export const PASSWORD = 'correct horse battery staple';

/** `<prefix>_<8 hex>`: tests share a server or database, so every user and account gets its own name. */
export const uniqueName = (prefix: string): string => `${prefix}_${randomUUID().slice(0, 8)}`;

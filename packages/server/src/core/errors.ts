/** An error a handler throws to answer the client with a protocol error code. */
import type { ErrorCode } from '@switchboard/protocol';

export class ClientError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

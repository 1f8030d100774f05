/**
 * REST error shape `{"error":{"code","message"}}` (PROTOCOL.md §8), with the same
 * codes as WebSocket errors and the HTTP status from the protocol's table.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { ErrorCode, errorCodeInfo } from '@switchboard/protocol';
import { ClientError } from '../core/errors.js';

export class HttpError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = errorCodeInfo(code).httpStatus;
  }
}

/** Services speak protocol errors (ClientError); REST answers them with their HTTP status. */
export async function asHttp<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof ClientError) throw new HttpError(error.code, error.message);
    throw error;
  }
}

function errorBody(code: ErrorCode, message: string): { error: { code: ErrorCode; message: string } } {
  return { error: { code, message } };
}

function classify(error: FastifyError | HttpError | Error): { status: number; code: ErrorCode; message: string } {
  if (error instanceof HttpError) return { status: error.status, code: error.code, message: error.message };
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return { status: 400, code: ErrorCode.InvalidPayload, message: fastifyError.message };
  const status = fastifyError.statusCode ?? 500;
  if (status === 413) return { status, code: ErrorCode.TooLarge, message: 'Request body too large' };
  if (status === 415 || status === 400) return { status: 400, code: ErrorCode.InvalidPayload, message: fastifyError.message };
  if (status === 429) return { status, code: ErrorCode.RateLimited, message: fastifyError.message };
  if (status === 404) return { status, code: ErrorCode.NotFound, message: fastifyError.message };
  if (status === 401) return { status, code: ErrorCode.Unauthenticated, message: fastifyError.message };
  if (status === 403) return { status, code: ErrorCode.Forbidden, message: fastifyError.message };
  if (status === 409) return { status, code: ErrorCode.Conflict, message: fastifyError.message };
  if (status >= 400 && status < 500) return { status, code: ErrorCode.InvalidPayload, message: fastifyError.message };
  return { status: 500, code: ErrorCode.InternalError, message: 'Internal error' };
}

export function installErrorHandling(fastify: FastifyInstance): void {
  fastify.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    const { status, code, message } = classify(error);
    if (status >= 500) request.log.error({ err: error, method: request.method, path: request.routeOptions.url }, 'request failed');
    return reply.code(status).send(errorBody(code, message));
  });
  fastify.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody(ErrorCode.NotFound, `No route ${request.method} ${request.url.split('?')[0]}`)),
  );
}

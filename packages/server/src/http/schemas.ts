/**
 * JSON schema pieces every REST route uses (request validation and the OpenAPI
 * document): the error body, `:id` path parameters, UUIDs in request bodies.
 */

/** A UUID in either case, as a JSON schema `pattern`. */
export const UUID_JSON_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** `{"error":{"code","message"}}` (PROTOCOL.md §8), as errors.ts sends it. */
const errorResponseSchema = {
  type: 'object',
  properties: {
    error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
  },
} as const;

/** The error body under each of `statuses`, to spread into a route's `response`. */
export function errorResponses(...statuses: number[]): Record<number, typeof errorResponseSchema> {
  return Object.fromEntries(statuses.map((status) => [status, errorResponseSchema]));
}

export interface IdParams {
  id: string;
}

/** Not pattern-checked: an id that is not a UUID is a 404 like any unknown id. */
export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 100 } },
} as const;

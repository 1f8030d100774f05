/**
 * A tiny, dependency-free schema checker for client messages. Each schema both
 * validates a parsed JSON value and carries its TypeScript type (`Infer<S>`), so the
 * server's handlers and the client SDK share one definition.
 *
 * Objects allow unknown keys (the protocol only ever grows additively); the caller
 * has already rejected prototype-pollution keys.
 */

export interface Schema<T> {
  /** Returns undefined when valid, else a short reason prefixed with the field path. */
  check(value: unknown, path: string): string | undefined;
  readonly optional: boolean;
  /** Phantom field carrying the static type. */
  readonly _type?: T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K]['optional'] extends true ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
export type InferShape<S extends Shape> = { [K in RequiredKeys<S>]: Infer<S[K]> } & {
  [K in OptionalKeys<S>]?: Infer<S[K]>;
};

function at(path: string, reason: string): string {
  return path ? `${path}: ${reason}` : reason;
}

function schema<T>(check: (value: unknown, path: string) => string | undefined): Schema<T> {
  return { check, optional: false };
}

export interface StringOptions {
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** Human description of the pattern, used in error messages. */
  patternText?: string;
}

export function string(options: StringOptions = {}): Schema<string> {
  const { min = 0, max = Infinity, pattern, patternText } = options;
  return schema((value, path) => {
    if (typeof value !== 'string') return at(path, 'must be a string');
    if (value.length < min) return at(path, min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
    if (value.length > max) return at(path, `must be at most ${max} characters`);
    if (pattern && !pattern.test(value)) return at(path, `must match ${patternText ?? String(pattern)}`);
    return undefined;
  });
}

export interface NumberOptions {
  min?: number;
  max?: number;
  integer?: boolean;
}

export function number(options: NumberOptions = {}): Schema<number> {
  const { min = -Infinity, max = Infinity, integer = false } = options;
  return schema((value, path) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return at(path, 'must be a number');
    if (integer && !Number.isInteger(value)) return at(path, 'must be an integer');
    if (value < min) return at(path, `must be at least ${min}`);
    if (value > max) return at(path, `must be at most ${max}`);
    return undefined;
  });
}

export function boolean(): Schema<boolean> {
  return schema((value, path) => (typeof value === 'boolean' ? undefined : at(path, 'must be true or false')));
}

export function oneOf<const T extends readonly (string | number)[]>(values: T): Schema<T[number]> {
  return schema((value, path) =>
    values.includes(value as T[number]) ? undefined : at(path, `must be one of ${values.join(', ')}`),
  );
}

export function array<T>(item: Schema<T>, options: { max?: number; min?: number } = {}): Schema<T[]> {
  const { max = 100, min = 0 } = options;
  return schema((value, path) => {
    if (!Array.isArray(value)) return at(path, 'must be an array');
    if (value.length < min) return at(path, `must have at least ${min} items`);
    if (value.length > max) return at(path, `must have at most ${max} items`);
    for (let i = 0; i < value.length; i++) {
      const error = item.check(value[i], `${path}[${i}]`);
      if (error) return error;
    }
    return undefined;
  });
}

/** Any JSON value whose serialized size is at most `maxBytes` (e.g. a cursor position). */
export function json(options: { maxBytes: number }): Schema<unknown> {
  return schema((value, path) => {
    if (value === undefined) return at(path, 'is required');
    const size = utf8Length(JSON.stringify(value));
    return size > options.maxBytes ? at(path, `must be at most ${options.maxBytes} bytes of JSON`) : undefined;
  });
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** UTF-8 byte length without Buffer/TextEncoder, so this module runs in browsers and Node. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export function object<S extends Shape>(shape: S): Schema<InferShape<S>> {
  const keys = Object.keys(shape);
  return schema((value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return at(path, 'must be an object');
    const record = value as Record<string, unknown>;
    for (const key of keys) {
      const field = shape[key]!;
      const fieldValue = record[key];
      if (fieldValue === undefined || fieldValue === null) {
        if (field.optional) continue;
        return at(path ? `${path}.${key}` : key, 'is required');
      }
      const error = field.check(fieldValue, path ? `${path}.${key}` : key);
      if (error) return error;
    }
    return undefined;
  });
}

/** Marks a field optional: absent or null is accepted. */
export function optional<T>(inner: Schema<T>): Schema<T | undefined> & { readonly optional: true } {
  return { check: inner.check, optional: true };
}

/** Parses and types a value in one step; returns the error reason on failure. */
export function validate<T>(s: Schema<T>, value: unknown): { ok: true; value: T } | { ok: false; error: string } {
  const error = s.check(value, '');
  return error === undefined ? { ok: true, value: value as T } : { ok: false, error };
}

/** Keys that are rejected anywhere in client JSON. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Finds a forbidden key anywhere in a parsed JSON value. Iterative, so hostile nesting
 * depth cannot overflow the stack and nothing deep is skipped.
 */
export function findForbiddenKey(value: unknown): string | undefined {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null) continue;
    if (Array.isArray(current)) {
      for (const item of current) pending.push(item);
      continue;
    }
    for (const key of Object.keys(current)) {
      if (FORBIDDEN_KEYS.has(key)) return key;
      pending.push((current as Record<string, unknown>)[key]);
    }
  }
  return undefined;
}

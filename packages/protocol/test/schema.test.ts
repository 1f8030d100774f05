/**
 * Unit tests of the dependency-free schema checker (schema.ts) and of the rooms schemas
 * (rooms.ts), with the field limits of the wire contract tested at their exact edges.
 */
import { describe, expect, it } from 'vitest';
import {
  FORBIDDEN_KEYS,
  array,
  boolean,
  findForbiddenKey,
  json,
  number,
  object,
  oneOf,
  optional,
  string,
  utf8Length,
  validate,
  type Schema,
} from '../src/schema.js';
import { NAME_PATTERN, roomName, chatText } from '../src/common.js';
import { roomsClientSchemas } from '../src/rooms.js';

/** The error of `schema` for `value` at the top level, or undefined when valid. */
function errorOf(schema: Schema<unknown>, value: unknown, path = ''): string | undefined {
  return schema.check(value, path);
}

/**
 * A small seeded PRNG (mulberry32), so a failing randomized case can be replayed:
 * the seed is printed in the test name; replay with SCHEMA_TEST_SEED=<seed>.
 */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = process.env.SCHEMA_TEST_SEED ? Number(process.env.SCHEMA_TEST_SEED) : Math.floor(Math.random() * 2 ** 31);

describe('string', () => {
  it('accepts strings and refuses other types', () => {
    const s = string();
    expect(errorOf(s, '')).toBeUndefined();
    expect(errorOf(s, 'hello')).toBeUndefined();
    for (const value of [1, true, null, undefined, {}, [], ['a']]) expect(errorOf(s, value)).toBe('must be a string');
  });

  it('min and max are inclusive, in UTF-16 code units', () => {
    const s = string({ min: 3, max: 5 });
    expect(errorOf(s, 'ab')).toBe('must be at least 3 characters');
    expect(errorOf(s, 'abc')).toBeUndefined();
    expect(errorOf(s, 'abcde')).toBeUndefined();
    expect(errorOf(s, 'abcdef')).toBe('must be at most 5 characters');
    // An astral character (emoji) is two code units.
    expect(errorOf(string({ max: 1 }), '😀')).toBe('must be at most 1 characters');
    expect(errorOf(string({ max: 2 }), '😀')).toBeUndefined();
  });

  it('min 1 says "must not be empty"', () => {
    expect(errorOf(string({ min: 1 }), '')).toBe('must not be empty');
    expect(errorOf(string({ min: 1 }), 'x')).toBeUndefined();
  });

  it('pattern, described by patternText or by the regex source', () => {
    expect(errorOf(string({ pattern: /^[a-z]+$/, patternText: 'lowercase letters' }), 'ABC')).toBe('must match lowercase letters');
    expect(errorOf(string({ pattern: /^[a-z]+$/ }), 'ABC')).toBe('must match /^[a-z]+$/');
    expect(errorOf(string({ pattern: /^[a-z]+$/ }), 'abc')).toBeUndefined();
  });

  it('checks length before pattern', () => {
    const s = string({ max: 3, pattern: /^[a-z]+$/ });
    expect(errorOf(s, 'ABCD')).toBe('must be at most 3 characters');
  });

  it('prefixes the error with the path when one is given', () => {
    expect(errorOf(string(), 5, 'name')).toBe('name: must be a string');
    expect(errorOf(string(), 5, '')).toBe('must be a string');
  });
});

describe('number', () => {
  it('accepts finite numbers only', () => {
    const n = number();
    for (const value of [0, -1.5, 1e300, Number.MAX_SAFE_INTEGER]) expect(errorOf(n, value)).toBeUndefined();
    for (const value of [NaN, Infinity, -Infinity, '1', null, true, [1]]) expect(errorOf(n, value)).toBe('must be a number');
  });

  it('integer', () => {
    const n = number({ integer: true });
    expect(errorOf(n, 3)).toBeUndefined();
    expect(errorOf(n, 3.5)).toBe('must be an integer');
  });

  it('min and max are inclusive', () => {
    const n = number({ min: 1, max: 100 });
    expect(errorOf(n, 0.999)).toBe('must be at least 1');
    expect(errorOf(n, 1)).toBeUndefined();
    expect(errorOf(n, 100)).toBeUndefined();
    expect(errorOf(n, 100.001)).toBe('must be at most 100');
  });
});

describe('boolean', () => {
  it('accepts only true and false', () => {
    const b = boolean();
    expect(errorOf(b, true)).toBeUndefined();
    expect(errorOf(b, false)).toBeUndefined();
    for (const value of ['true', 0, 1, null, undefined, {}]) expect(errorOf(b, value)).toBe('must be true or false');
    expect(errorOf(b, 'yes', 'is_typing')).toBe('is_typing: must be true or false');
  });
});

describe('oneOf', () => {
  it('accepts exactly the listed values (strict equality)', () => {
    const kind = oneOf(['TEXT', 'IMAGE'] as const);
    expect(errorOf(kind, 'TEXT')).toBeUndefined();
    expect(errorOf(kind, 'IMAGE')).toBeUndefined();
    expect(errorOf(kind, 'text')).toBe('must be one of TEXT, IMAGE');
    expect(errorOf(kind, undefined)).toBe('must be one of TEXT, IMAGE');

    const level = oneOf([1, 2, 3] as const);
    expect(errorOf(level, 2)).toBeUndefined();
    expect(errorOf(level, '2')).toBe('must be one of 1, 2, 3');
  });
});

describe('array', () => {
  it('defaults to at most 100 items (the contract limit)', () => {
    const a = array(number());
    expect(errorOf(a, [])).toBeUndefined();
    expect(errorOf(a, Array.from({ length: 100 }, (_, i) => i))).toBeUndefined();
    expect(errorOf(a, Array.from({ length: 101 }, (_, i) => i))).toBe('must have at most 100 items');
  });

  it('min and max options', () => {
    const a = array(string(), { min: 1, max: 2 });
    expect(errorOf(a, [])).toBe('must have at least 1 items');
    expect(errorOf(a, ['a', 'b'])).toBeUndefined();
    expect(errorOf(a, ['a', 'b', 'c'])).toBe('must have at most 2 items');
  });

  it('refuses non-arrays', () => {
    for (const value of [{}, 'abc', null, { length: 0 }]) expect(errorOf(array(string()), value)).toBe('must be an array');
  });

  it('reports the first bad item with its index', () => {
    expect(errorOf(array(number()), [1, 2, 'three', 'four'], 'ids')).toBe('ids[2]: must be a number');
    expect(errorOf(array(number()), [1, 'x'])).toBe('[1]: must be a number');
  });
});

describe('json (size-bounded value)', () => {
  it('requires a value', () => {
    expect(errorOf(json({ maxBytes: 10 }), undefined, 'position')).toBe('position: is required');
    expect(errorOf(json({ maxBytes: 10 }), null)).toBeUndefined();
  });

  it('measures the serialized JSON in UTF-8 bytes, inclusive at the edge', () => {
    // '"é"' is 4 bytes, '"€"' is 5, '"😀"' is 6.
    expect(errorOf(json({ maxBytes: 4 }), 'é')).toBeUndefined();
    expect(errorOf(json({ maxBytes: 3 }), 'é')).toBe('must be at most 3 bytes of JSON');
    expect(errorOf(json({ maxBytes: 5 }), '€')).toBeUndefined();
    expect(errorOf(json({ maxBytes: 4 }), '€')).toBe('must be at most 4 bytes of JSON');
    expect(errorOf(json({ maxBytes: 6 }), '😀')).toBeUndefined();
    expect(errorOf(json({ maxBytes: 5 }), '😀')).toBe('must be at most 5 bytes of JSON');
  });

  it('1 KiB cursor payload: exactly 1024 bytes pass, 1025 fail', () => {
    const cursor = json({ maxBytes: 1024 });
    const skeleton = JSON.stringify({ line: 1, pad: '' }).length;
    const exact = { line: 1, pad: 'x'.repeat(1024 - skeleton) };
    expect(Buffer.byteLength(JSON.stringify(exact))).toBe(1024);
    expect(errorOf(cursor, exact)).toBeUndefined();
    const over = { line: 1, pad: 'x'.repeat(1025 - skeleton) };
    expect(errorOf(cursor, over, 'position')).toBe('position: must be at most 1024 bytes of JSON');
  });

  it('agrees with Buffer.byteLength on multi-byte values at the edge', () => {
    const value = { text: 'héllo wörld €100 😀' };
    const bytes = Buffer.byteLength(JSON.stringify(value));
    expect(errorOf(json({ maxBytes: bytes }), value)).toBeUndefined();
    expect(errorOf(json({ maxBytes: bytes - 1 }), value)).toBeDefined();
  });
});

describe(`utf8Length (random strings, seed ${SEED}; replay with SCHEMA_TEST_SEED=${SEED})`, () => {
  const random = prng(SEED);
  const int = (below: number): number => Math.floor(random() * below);

  /** A random well-formed code point from one of the four UTF-8 length classes. */
  function codePoint(): number {
    switch (int(4)) {
      case 0:
        return int(0x80);
      case 1:
        return 0x80 + int(0x800 - 0x80);
      case 2: {
        // BMP outside the surrogate range.
        const cp = 0x800 + int(0x10000 - 0x800 - 0x800);
        return cp >= 0xd800 ? cp + 0x800 : cp;
      }
      default:
        return 0x10000 + int(0x110000 - 0x10000);
    }
  }

  function randomString(maxLength: number): string {
    const points: number[] = [];
    const length = int(maxLength + 1);
    for (let i = 0; i < length; i++) points.push(codePoint());
    return String.fromCodePoint(...points);
  }

  /** Any UTF-16 sequence, lone surrogates included. */
  function randomUnits(maxLength: number): string {
    const units: number[] = [];
    const length = int(maxLength + 1);
    for (let i = 0; i < length; i++) units.push(int(4) === 0 ? 0xd800 + int(0x800) : int(0x10000));
    return String.fromCharCode(...units);
  }

  it('the empty string and each length class', () => {
    expect(utf8Length('')).toBe(0);
    expect(utf8Length('a')).toBe(1);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('€')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
  });

  it('equals Buffer.byteLength on 2000 random well-formed strings', () => {
    for (let i = 0; i < 2000; i++) {
      const text = randomString(64);
      if (utf8Length(text) !== Buffer.byteLength(text)) {
        expect.fail(`seed ${SEED}, case ${i}: utf8Length(${JSON.stringify(text)}) = ${utf8Length(text)}, Buffer.byteLength = ${Buffer.byteLength(text)}`);
      }
    }
  });

  it('equals Buffer.byteLength on the JSON of 2000 random UTF-16 strings (lone surrogates are escaped by JSON.stringify)', () => {
    for (let i = 0; i < 2000; i++) {
      const serialized = JSON.stringify({ value: randomUnits(64) });
      if (utf8Length(serialized) !== Buffer.byteLength(serialized)) {
        expect.fail(`seed ${SEED}, case ${i}: utf8Length(${serialized}) = ${utf8Length(serialized)}, Buffer.byteLength = ${Buffer.byteLength(serialized)}`);
      }
    }
  });

  it('counts a lone surrogate as 3 bytes (U+FFFD), like Buffer.byteLength', () => {
    for (const text of ['\ud800', '\udc00', 'a\udfff', '\udc00\ud800']) expect(utf8Length(text)).toBe(Buffer.byteLength(text));
  });

  it('a high surrogate followed by a non-surrogate counts both units', () => {
    for (const text of ['\ud800é', '\ud800€', '\ud800\ud800']) expect(utf8Length(text)).toBe(Buffer.byteLength(text));
  });
});

describe('object', () => {
  const person = object({ name: string({ min: 1 }), age: optional(number({ integer: true })) });

  it('refuses non-objects, null and arrays', () => {
    for (const value of [null, [], ['name'], 'name', 7, undefined]) expect(errorOf(person, value)).toBe('must be an object');
  });

  it('required fields: absent or null is "is required"', () => {
    expect(errorOf(person, {})).toBe('name: is required');
    expect(errorOf(person, { name: null })).toBe('name: is required');
    expect(errorOf(person, { name: '' })).toBe('name: must not be empty');
  });

  it('optional fields: absent or null pass; present values are checked', () => {
    expect(errorOf(person, { name: 'a' })).toBeUndefined();
    expect(errorOf(person, { name: 'a', age: null })).toBeUndefined();
    expect(errorOf(person, { name: 'a', age: 30 })).toBeUndefined();
    expect(errorOf(person, { name: 'a', age: 30.5 })).toBe('age: must be an integer');
  });

  it('allows unknown keys (the protocol grows additively)', () => {
    expect(errorOf(person, { name: 'a', extra: { anything: [1, 2] } })).toBeUndefined();
  });

  it('reports the first failing field in declaration order', () => {
    const pair = object({ a: string(), b: string() });
    expect(errorOf(pair, { a: 1, b: 2 })).toBe('a: must be a string');
    expect(errorOf(pair, { a: 'x', b: 2 })).toBe('b: must be a string');
  });

  it('nested error paths through objects and arrays', () => {
    const doc = object({
      meta: object({ owner: object({ id: string({ min: 1 }) }) }),
      items: array(object({ name: string(), tags: array(string(), { max: 2 }) })),
    });
    const ok = { meta: { owner: { id: 'u1' } }, items: [{ name: 'a', tags: ['x'] }] };
    expect(errorOf(doc, ok)).toBeUndefined();
    expect(errorOf(doc, { ...ok, meta: { owner: {} } })).toBe('meta.owner.id: is required');
    expect(errorOf(doc, { ...ok, meta: { owner: 'u1' } })).toBe('meta.owner: must be an object');
    expect(errorOf(doc, { ...ok, items: [{ name: 'a', tags: [] }, { name: 5, tags: [] }] })).toBe('items[1].name: must be a string');
    expect(errorOf(doc, { ...ok, items: [{ name: 'a', tags: ['x', 3] }] })).toBe('items[0].tags[1]: must be a string');
    expect(errorOf(doc, { ...ok, items: [{ name: 'a', tags: ['x', 'y', 'z'] }] })).toBe('items[0].tags: must have at most 2 items');
    expect(errorOf(doc, { ...ok, meta: { owner: {} } }, 'data')).toBe('data.meta.owner.id: is required');
  });
});

describe('optional and validate', () => {
  it('optional() marks the schema and keeps its check', () => {
    const o = optional(string({ max: 2 }));
    expect(o.optional).toBe(true);
    expect(string().optional).toBe(false);
    expect(o.check('abc', 'x')).toBe('x: must be at most 2 characters');
  });

  it('validate returns the typed value or the error', () => {
    const s = object({ room: roomName });
    expect(validate(s, { room: 'lobby' })).toEqual({ ok: true, value: { room: 'lobby' } });
    expect(validate(s, { room: '' })).toEqual({ ok: false, error: 'room: must not be empty' });
    expect(validate(s, 'lobby')).toEqual({ ok: false, error: 'must be an object' });
  });
});

describe('findForbiddenKey', () => {
  it('the forbidden set', () => {
    expect([...FORBIDDEN_KEYS].sort()).toEqual(['__proto__', 'constructor', 'prototype']);
  });

  it('finds a key at the top level (JSON.parse creates an own __proto__ key)', () => {
    expect(findForbiddenKey(JSON.parse('{"type":"x","__proto__":{"polluted":1}}'))).toBe('__proto__');
    expect(findForbiddenKey({ constructor: 1 })).toBe('constructor');
    expect(findForbiddenKey({ prototype: 1 })).toBe('prototype');
  });

  it('finds keys nested in objects and arrays', () => {
    expect(findForbiddenKey({ data: { a: { b: { prototype: 1 } } } })).toBe('prototype');
    expect(findForbiddenKey({ list: [1, 'two', { ok: true }, { nested: [{ constructor: {} }] }] })).toBe('constructor');
    expect(findForbiddenKey([[[JSON.parse('{"__proto__":null}')]]])).toBe('__proto__');
  });

  it('finds keys decoded from \\u escapes', () => {
    expect(findForbiddenKey(JSON.parse('{"data":{"\\u005f_proto__":{"x":1}}}'))).toBe('__proto__');
  });

  it('ignores forbidden words used as values or as parts of keys', () => {
    expect(findForbiddenKey({ type: '__proto__', text: 'constructor prototype' })).toBeUndefined();
    expect(findForbiddenKey({ my_prototype: 1, constructors: 2, ['__proto__x']: 3 })).toBeUndefined();
    expect(findForbiddenKey(['__proto__', 'constructor'])).toBeUndefined();
  });

  it('returns undefined for primitives, null and clean values', () => {
    for (const value of [null, undefined, 1, 'x', true, [], {}, { a: [{ b: 1 }] }]) expect(findForbiddenKey(value)).toBeUndefined();
  });

  it('searches deeply nested values (60 levels)', () => {
    let value: unknown = JSON.parse('{"__proto__":1}');
    for (let i = 0; i < 30; i++) value = { nested: [value] };
    expect(findForbiddenKey(value)).toBe('__proto__');
  });
});

describe('rooms schemas', () => {
  const { join_room, leave_room, message, typing } = roomsClientSchemas;
  const NAME_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-';

  describe.each([
    ['join_room', join_room],
    ['leave_room', leave_room],
  ] as const)('%s room name', (_type, schema) => {
    it('is 1 to 100 characters: 1 and 100 pass, 0 and 101 fail', () => {
      expect(errorOf(schema, { room: 'a' })).toBeUndefined();
      expect(errorOf(schema, { room: 'r'.repeat(100) })).toBeUndefined();
      expect(errorOf(schema, { room: 'r'.repeat(101) })).toBe('room: must be at most 100 characters');
      expect(errorOf(schema, { room: '' })).toBe('room: must not be empty');
    });

    it('allows every character of [A-Za-z0-9_.:-]', () => {
      expect(errorOf(schema, { room: NAME_CHARS })).toBeUndefined();
      for (const char of NAME_CHARS) expect(errorOf(schema, { room: char })).toBeUndefined();
      expect(errorOf(schema, { room: 'chat-general' })).toBeUndefined();
      expect(errorOf(schema, { room: 'team:42.general_v2' })).toBeUndefined();
    });

    it('refuses any other character', () => {
      for (const bad of ['bad room', 'a/b', 'a#b', 'é', 'a\nb', 'a!', '😀', 'a,b', 'a*']) {
        expect(errorOf(schema, { room: bad })).toBe('room: must match [A-Za-z0-9_.:-]');
      }
    });

    it('requires a string', () => {
      expect(errorOf(schema, {})).toBe('room: is required');
      expect(errorOf(schema, { room: null })).toBe('room: is required');
      expect(errorOf(schema, { room: 42 })).toBe('room: must be a string');
      expect(errorOf(schema, { room: ['a'] })).toBe('room: must be a string');
    });
  });

  it('NAME_PATTERN and roomName agree', () => {
    expect(NAME_PATTERN.test(NAME_CHARS)).toBe(true);
    expect(NAME_PATTERN.test('')).toBe(false);
    expect(errorOf(roomName, 'x'.repeat(100))).toBeUndefined();
  });

  describe('message', () => {
    it('text is at most 4000 characters: 4000 passes, 4001 fails', () => {
      expect(errorOf(message, { room: 'r', text: 't'.repeat(4000) })).toBeUndefined();
      expect(errorOf(message, { room: 'r', text: 't'.repeat(4001) })).toBe('text: must be at most 4000 characters');
    });

    it('counts UTF-16 code units: 4000 "é" pass, 2000 emoji pass, 2001 emoji fail', () => {
      expect(errorOf(message, { room: 'r', text: 'é'.repeat(4000) })).toBeUndefined();
      expect(errorOf(message, { room: 'r', text: '😀'.repeat(2000) })).toBeUndefined();
      expect(errorOf(message, { room: 'r', text: '😀'.repeat(2001) })).toBe('text: must be at most 4000 characters');
    });

    it('empty text is allowed (as in the seed)', () => {
      expect(errorOf(message, { room: 'r', text: '' })).toBeUndefined();
    });

    it('needs both room and text', () => {
      expect(errorOf(message, { text: 'hi' })).toBe('room: is required');
      expect(errorOf(message, { room: 'r' })).toBe('text: is required');
      expect(errorOf(message, { room: 'r', text: 5 })).toBe('text: must be a string');
      expect(errorOf(message, { room: 'bad room', text: 'hi' })).toBe('room: must match [A-Za-z0-9_.:-]');
    });

    it('chatText on its own', () => {
      expect(errorOf(chatText, 'x'.repeat(4000))).toBeUndefined();
      expect(errorOf(chatText, 'x'.repeat(4001))).toBe('must be at most 4000 characters');
    });
  });

  describe('typing', () => {
    it('is_typing is an optional boolean', () => {
      expect(errorOf(typing, { room: 'r' })).toBeUndefined();
      expect(errorOf(typing, { room: 'r', is_typing: null })).toBeUndefined();
      expect(errorOf(typing, { room: 'r', is_typing: true })).toBeUndefined();
      expect(errorOf(typing, { room: 'r', is_typing: false })).toBeUndefined();
      expect(errorOf(typing, { room: 'r', is_typing: 'yes' })).toBe('is_typing: must be true or false');
      expect(errorOf(typing, { room: 'r', is_typing: 1 })).toBe('is_typing: must be true or false');
    });

    it('room follows the name rules', () => {
      expect(errorOf(typing, { is_typing: true })).toBe('room: is required');
      expect(errorOf(typing, { room: 'r'.repeat(101) })).toBe('room: must be at most 100 characters');
    });
  });
});

/**
 * The synchronous HS* verifier against jose's jwtVerify on the same tokens: both must
 * accept, expire or refuse alike, including malformed tokens and claim edges.
 */
import { createHmac } from 'node:crypto';
import { errors, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { HmacJwtVerifier, type HmacVerifyOptions } from '../src/core/hmac-jwt.js';

const SECRET = 'differential-secret-that-is-32-bytes-or-more';
const NOW = 1_800_000_000;
const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function sign(header: unknown, payload: unknown, secret = SECRET, hash = 'sha256'): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
}

const valid = { sub: 'alice', exp: NOW + 60 };
const hs256 = { alg: 'HS256', typ: 'JWT' };

type Outcome = 'ok' | 'expired' | 'invalid';

async function joseOutcome(token: string, options: HmacVerifyOptions): Promise<Outcome> {
  try {
    await jwtVerify(token, new TextEncoder().encode(SECRET), {
      algorithms: [...options.algorithms],
      requiredClaims: ['exp'],
      clockTolerance: options.clockToleranceSeconds,
      currentDate: new Date(NOW * 1000),
      ...(options.issuer ? { issuer: options.issuer } : {}),
      ...(options.audience ? { audience: options.audience } : {}),
    });
    return 'ok';
  } catch (error) {
    return error instanceof errors.JWTExpired ? 'expired' : 'invalid';
  }
}

function ownOutcome(token: string, options: HmacVerifyOptions): Outcome {
  const result = new HmacJwtVerifier(SECRET, options).verify(token, NOW);
  return result.ok ? 'ok' : result.reason;
}

const base: HmacVerifyOptions = { algorithms: ['HS256'], clockToleranceSeconds: 0 };
const validToken = sign(hs256, valid);
const [validHeader, validPayload, validSignature] = validToken.split('.') as [string, string, string];

const cases: Array<[string, string, HmacVerifyOptions, Outcome]> = [
  ['valid HS256', validToken, base, 'ok'],
  ['valid HS384', sign({ alg: 'HS384' }, valid, SECRET, 'sha384'), { ...base, algorithms: ['HS384'] }, 'ok'],
  ['valid HS512', sign({ alg: 'HS512' }, valid, SECRET, 'sha512'), { ...base, algorithms: ['HS256', 'HS512'] }, 'ok'],
  ['unicode claims', sign(hs256, { ...valid, name: 'Zoë 🚀' }), base, 'ok'],
  ['algorithm not pinned', sign({ alg: 'HS384' }, valid, SECRET, 'sha384'), base, 'invalid'],
  ['alg none', `${b64({ alg: 'none' })}.${b64(valid)}.`, { ...base, algorithms: ['HS256', 'none'] }, 'invalid'],
  ['alg missing', sign({ typ: 'JWT' }, valid), base, 'invalid'],
  ['alg not a string', sign({ alg: ['HS256'] }, valid), base, 'invalid'],
  ['RS256 header over an HMAC', sign({ alg: 'RS256' }, valid), base, 'invalid'],
  ['wrong secret', sign(hs256, valid, 'another-secret-that-is-32-bytes-or-more!'), base, 'invalid'],
  ['payload swapped after signing', `${validHeader}.${b64({ ...valid, sub: 'mallory' })}.${validSignature}`, base, 'invalid'],
  ['signature truncated', validToken.slice(0, -2), base, 'invalid'],
  ['signature empty', `${validHeader}.${validPayload}.`, base, 'invalid'],
  ['signature with a foreign character', `${validToken.slice(0, -1)}*`, base, 'invalid'],
  ['two segments', `${validHeader}.${validPayload}`, base, 'invalid'],
  ['four segments', `${validToken}.x`, base, 'invalid'],
  ['empty header', `.${validPayload}.${validSignature}`, base, 'invalid'],
  ['header not JSON', sign('not json', valid), base, 'invalid'],
  ['header an array', sign(['HS256'], valid), base, 'invalid'],
  ['payload not JSON', sign(hs256, 'not json'), base, 'invalid'],
  ['payload an array', sign(hs256, [valid]), base, 'invalid'],
  ['payload a string', sign(hs256, '"text"'), base, 'invalid'],
  ['payload null', sign(hs256, 'null'), base, 'invalid'],
  ['crit header', sign({ ...hs256, crit: ['exp'] }, valid), base, 'invalid'],
  ['exp missing', sign(hs256, { sub: 'alice' }), base, 'invalid'],
  ['exp a string', sign(hs256, { sub: 'alice', exp: String(NOW + 60) }), base, 'invalid'],
  ['exp is now', sign(hs256, { sub: 'alice', exp: NOW }), base, 'expired'],
  ['exp one second ahead', sign(hs256, { sub: 'alice', exp: NOW + 1 }), base, 'ok'],
  ['exp within tolerance', sign(hs256, { sub: 'alice', exp: NOW - 5 }), { ...base, clockToleranceSeconds: 10 }, 'ok'],
  ['exp at the tolerance edge', sign(hs256, { sub: 'alice', exp: NOW - 10 }), { ...base, clockToleranceSeconds: 10 }, 'expired'],
  ['expired and not yet valid', sign(hs256, { sub: 'alice', exp: NOW - 1, nbf: NOW + 60 }), base, 'invalid'],
  ['nbf in the future', sign(hs256, { ...valid, nbf: NOW + 1 }), base, 'invalid'],
  ['nbf now', sign(hs256, { ...valid, nbf: NOW }), base, 'ok'],
  ['nbf within tolerance', sign(hs256, { ...valid, nbf: NOW + 5 }), { ...base, clockToleranceSeconds: 10 }, 'ok'],
  ['nbf a string', sign(hs256, { ...valid, nbf: String(NOW) }), base, 'invalid'],
  ['iat a string', sign(hs256, { ...valid, iat: 'yesterday' }), base, 'invalid'],
  ['iat in the future', sign(hs256, { ...valid, iat: NOW + 3600 }), base, 'ok'],
  ['issuer matches', sign(hs256, { ...valid, iss: 'switchboard' }), { ...base, issuer: 'switchboard' }, 'ok'],
  ['issuer differs', sign(hs256, { ...valid, iss: 'other' }), { ...base, issuer: 'switchboard' }, 'invalid'],
  ['issuer missing', validToken, { ...base, issuer: 'switchboard' }, 'invalid'],
  ['audience as a string', sign(hs256, { ...valid, aud: 'web' }), { ...base, audience: 'web' }, 'ok'],
  ['audience in a list', sign(hs256, { ...valid, aud: ['mobile', 'web'] }), { ...base, audience: 'web' }, 'ok'],
  ['audience differs', sign(hs256, { ...valid, aud: ['mobile'] }), { ...base, audience: 'web' }, 'invalid'],
  ['audience missing', validToken, { ...base, audience: 'web' }, 'invalid'],
  ['expired with the wrong issuer', sign(hs256, { sub: 'a', exp: NOW - 60, iss: 'x' }), { ...base, issuer: 'y' }, 'invalid'],
];

describe('HmacJwtVerifier agrees with jose', () => {
  it.each(cases)('%s', async (_name, token, options, expected) => {
    expect(await joseOutcome(token, options)).toBe(expected);
    expect(ownOutcome(token, options)).toBe(expected);
  });

  it('one verifier gives the same outcomes token after token (the header cache never carries over)', () => {
    const verifiers = new Map<HmacVerifyOptions, HmacJwtVerifier>();
    for (const [name, token, options, expected] of [...cases, ...[...cases].reverse()]) {
      if (!verifiers.has(options)) verifiers.set(options, new HmacJwtVerifier(SECRET, options));
      const result = verifiers.get(options)!.verify(token, NOW);
      expect(result.ok ? 'ok' : result.reason, name).toBe(expected);
    }
  });

  it('returns the payload of a valid token', () => {
    const result = new HmacJwtVerifier(SECRET, base).verify(sign(hs256, { ...valid, name: 'Zoë' }), NOW);
    expect(result).toEqual({ ok: true, payload: { ...valid, name: 'Zoë' } });
  });
});

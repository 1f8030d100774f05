/** Full-jitter exponential backoff, pure: the delay is random in [0, min(maxMs, baseMs·2^attempt)). */
import { describe, expect, it } from 'vitest';
import { backoff } from '../src/backoff.js';
import { DEFAULT_RECONNECT, SEED_001_RECONNECT } from '../src/state-machine.js';

const options = { baseMs: 1000, maxMs: 30_000 };
const highest = () => 0.999_999;

describe('backoff', () => {
  it('doubles the ceiling per attempt up to maxMs', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 20, 2000].map((attempt) => backoff(attempt, options, highest));
    expect(ceilings).toEqual([999, 1999, 3999, 7999, 15_999, 29_999, 29_999, 29_999, 29_999]);
  });

  it('is fully jittered: random 0 gives 0, random 0.5 half the ceiling', () => {
    expect(backoff(3, options, () => 0)).toBe(0);
    expect(backoff(3, options, () => 0.5)).toBe(4000);
    expect(backoff(10, options, () => 0.5)).toBe(15_000);
  });

  it('stays within [0, ceiling) for many random draws', () => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
      for (let i = 0; i < 200; i++) {
        const delay = backoff(attempt, options);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
        expect(Number.isInteger(delay)).toBe(true);
      }
    }
  });

  it('rejects a negative or fractional attempt', () => {
    expect(() => backoff(-1, options)).toThrow(RangeError);
    expect(() => backoff(1.5, options)).toThrow(RangeError);
  });

  it("reproduces the seed-001 client's delays as ceilings (2 s, 4 s, 8 s, 16 s, 30 s)", () => {
    const ceilings = [0, 1, 2, 3, 4].map((attempt) => backoff(attempt, SEED_001_RECONNECT, () => 1));
    expect(ceilings).toEqual([2000, 4000, 8000, 16_000, 30_000]);
    expect(SEED_001_RECONNECT.maxAttempts).toBe(5);
    expect(DEFAULT_RECONNECT).toMatchObject({ baseMs: 1000, maxMs: 30_000, maxAttempts: Infinity });
  });
});

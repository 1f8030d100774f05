/**
 * Per-connection limits as pure functions over a few numeric fields, so they cost no
 * allocation and are testable without sockets.
 */

export interface RateState {
  rateTokens: number;
  rateRefilledAt: number;
  /** When the current run of rejected messages began; 0 when not in excess. */
  rateExcessSince: number;
  /** When the last message was rejected. */
  rateRejectedAt: number;
}

/** A pause in rejections this long ends a run of excess. */
export const EXCESS_GAP_MS = 1000;

export interface RateLimit {
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  rateLimitAbuseMs: number;
}

export type RateVerdict = 'ok' | 'limited' | 'abuse';

/** Token bucket: refills continuously at `rateLimitPerSecond` up to `rateLimitBurst`. */
export function takeToken(state: RateState, limit: RateLimit, now: number, multiplier = 1): RateVerdict {
  const elapsed = now - state.rateRefilledAt;
  if (elapsed > 0) {
    const burst = limit.rateLimitBurst * multiplier;
    state.rateTokens = Math.min(burst, state.rateTokens + (elapsed * limit.rateLimitPerSecond * multiplier) / 1000);
    state.rateRefilledAt = now;
  }
  if (state.rateTokens >= 1) {
    state.rateTokens -= 1;
    return 'ok';
  }
  // A client sending steadily above the rate gets some messages through as tokens
  // trickle in; its excess still counts as continuous until rejections pause.
  if (state.rateExcessSince === 0 || now - state.rateRejectedAt > EXCESS_GAP_MS) state.rateExcessSince = now;
  state.rateRejectedAt = now;
  return now - state.rateExcessSince >= limit.rateLimitAbuseMs ? 'abuse' : 'limited';
}

export interface MalformedState {
  malformedCount: number;
  malformedWindowStart: number;
}

export interface MalformedLimit {
  malformedLimit: number;
  malformedWindowMs: number;
}

/** Counts one malformed message; true when the connection is over the limit (close 4002). */
export function countMalformed(state: MalformedState, limit: MalformedLimit, now: number): boolean {
  if (now - state.malformedWindowStart >= limit.malformedWindowMs) {
    state.malformedWindowStart = now;
    state.malformedCount = 0;
  }
  state.malformedCount++;
  return state.malformedCount > limit.malformedLimit;
}

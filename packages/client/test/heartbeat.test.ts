/** Dead-connection detection, pure: when to ping and when a silent connection is dead. */
import { describe, expect, it } from 'vitest';
import { heartbeatStep } from '../src/heartbeat.js';

const options = { pingIntervalMs: 1000, pongTimeoutMs: 300 };

describe('heartbeatStep', () => {
  it('waits out the rest of the interval while traffic is recent', () => {
    expect(heartbeatStep(1000, 400, undefined, options)).toEqual({ action: 'wait', nextCheckMs: 400 });
  });

  it('pings after a full interval of silence, then checks after the pong timeout', () => {
    expect(heartbeatStep(1400, 400, undefined, options)).toEqual({ action: 'ping', nextCheckMs: 300 });
  });

  it('is dead when nothing arrived within the timeout after the ping', () => {
    expect(heartbeatStep(1700, 400, 1400, options)).toEqual({ action: 'dead' });
    expect(heartbeatStep(5000, 400, 1400, options)).toEqual({ action: 'dead' });
  });

  it('keeps waiting for the answer until the timeout', () => {
    expect(heartbeatStep(1500, 400, 1400, options)).toEqual({ action: 'wait', nextCheckMs: 200 });
  });

  it('any message clears the ping (the caller resets pingSentAt): back to the interval', () => {
    // A message at 1450 answered the ping sent at 1400.
    expect(heartbeatStep(1750, 1450, undefined, options)).toEqual({ action: 'wait', nextCheckMs: 700 });
  });
});

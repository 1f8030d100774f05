/**
 * `switchboard cleanup [--hours N] [--json]`: deletes connection records closed more than
 * N hours ago (default 24). First it closes the records of instances whose heartbeat
 * stopped (crashed, or killed without a clean shutdown), so those are pruned in turn.
 * It also deletes revoked refresh tokens that have expired: an expired token is refused
 * anyway, so its blacklist row is no longer needed.
 */
import { OPERATIONS_DEFAULTS, staleBefore } from '../../apps/operations/index.js';
import { ConnectionRecordRepository } from '../../store/connections.js';
import { ConfigError, type LoadedConfig } from '../config.js';
import { withStore } from '../database.js';
import { out } from '../output.js';

interface CleanupFlags {
  hours?: string | undefined;
  json: boolean;
}

const DEFAULT_HOURS = 24;
const HOUR_MS = 60 * 60 * 1000;

function parseHours(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_HOURS;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`--hours must be a whole number of hours (0 or more), got "${raw}"`);
  return Number(raw);
}

export async function cleanup(config: LoadedConfig, flags: CleanupFlags): Promise<void> {
  const hours = parseHours(flags.hours);
  const result = await withStore(config, async (store) => {
    const records = new ConnectionRecordRepository(store.db);
    const now = new Date();
    const cutoff = new Date(now.getTime() - hours * HOUR_MS).toISOString();
    const dead = await records.closeDeadInstances(staleBefore(now, OPERATIONS_DEFAULTS.instanceStaleMs), now.toISOString());
    const deleted = await records.deleteClosedBefore(cutoff);
    const expiredTokens = await store.revokedTokens.purgeExpired(now);
    return { deleted, hours, closed_dead: dead.closedRecords, removed_instances: dead.removedInstances, expired_revoked_tokens: expiredTokens };
  });
  if (flags.json) {
    out(JSON.stringify(result));
    return;
  }
  out(`deleted ${result.deleted} connection records closed more than ${hours} hours ago`);
  if (result.closed_dead > 0 || result.removed_instances > 0) {
    out(`closed ${result.closed_dead} connection records left open by dead instances; forgot ${result.removed_instances} instances without a heartbeat`);
  }
  out(`deleted ${result.expired_revoked_tokens} expired revoked refresh tokens`);
}

/**
 * Connection records (one row per WebSocket connection) and instance heartbeats: the
 * cluster-wide view of who is connected where, shared by every instance through the
 * database. Writes come in batches, so a burst of connects costs a few multi-row
 * statements instead of one query per connection.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { ConnectionRecordsTable } from './schema-operations.js';

export type NewConnectionRecord = ConnectionRecordsTable;

/** The close of a record inserted by an earlier batch. */
export interface RecordClose {
  id: string;
  disconnectedAt: string;
  closeCode: number | null;
}

export interface InstanceInfo {
  instanceId: string;
  version: string;
  startedAt: string;
}

export interface RouteCount {
  route: string;
  instance_id: string;
  connections: number;
}

export interface LiveInstance {
  instance_id: string;
  version: string;
  started_at: string;
  last_seen_at: string;
  /** Open connection records of this instance. */
  connections: number;
}

/** Open records of live instances (heartbeat within the stale window), cluster-wide. */
interface LiveSummary {
  connections: number;
  /** Distinct user ids among those connections. */
  users: number;
  routes: RouteCount[];
  instances: LiveInstance[];
}

interface DeadInstanceCleanup {
  /** Records left open by dead instances, now closed. */
  closedRecords: number;
  /** Heartbeat rows of dead instances, now deleted. */
  removedInstances: number;
}

/** 9 parameters a row: 1000 rows stay far below SQLite's and PostgreSQL's parameter limits. */
const INSERT_CHUNK = 1000;
/** 3 parameters a close. */
const UPDATE_CHUNK = 1000;

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

export class ConnectionRecordRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Inserts new records and closes earlier ones in one transaction. Inserting an id that
   * already exists is skipped, so a batch retried after an unclear failure is harmless;
   * a close never overwrites a record that is already closed.
   */
  async write(opened: readonly NewConnectionRecord[], closed: readonly RecordClose[]): Promise<void> {
    if (opened.length === 0 && closed.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const rows of chunks(opened, INSERT_CHUNK)) {
        await trx
          .insertInto('connection_records')
          .values(rows)
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
      }
      for (const closes of chunks(closed, UPDATE_CHUNK)) await closeMany(trx, closes);
    });
  }

  /** Creates or refreshes the heartbeat row of an instance. */
  async heartbeat(instance: InstanceInfo, now: string): Promise<void> {
    await this.db
      .insertInto('server_instances')
      .values({ instance_id: instance.instanceId, version: instance.version, started_at: instance.startedAt, last_seen_at: now })
      .onConflict((oc) =>
        oc.column('instance_id').doUpdateSet({ version: instance.version, started_at: instance.startedAt, last_seen_at: now }),
      )
      .execute();
  }

  /**
   * Closes every open record of an instance (close code unknown): on startup for rows a
   * crash left open, and on shutdown for rows whose close was never observed.
   */
  async closeOpenOfInstance(instanceId: string, at: string): Promise<number> {
    const result = await this.db
      .updateTable('connection_records')
      .set({ disconnected_at: at, close_code: null })
      .where('instance_id', '=', instanceId)
      .where('disconnected_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async removeInstance(instanceId: string): Promise<void> {
    await this.db.deleteFrom('server_instances').where('instance_id', '=', instanceId).execute();
  }

  /**
   * Closes the open records of instances without a heartbeat since `staleBefore`
   * (crashed, or gone without a clean shutdown) and forgets those instances.
   */
  async closeDeadInstances(staleBefore: string, at: string): Promise<DeadInstanceCleanup> {
    return this.db.transaction().execute(async (trx) => {
      const live = trx.selectFrom('server_instances').select('instance_id').where('last_seen_at', '>=', staleBefore);
      const closed = await trx
        .updateTable('connection_records')
        .set({ disconnected_at: at, close_code: null })
        .where('disconnected_at', 'is', null)
        .where('instance_id', 'not in', live)
        .executeTakeFirst();
      const removed = await trx.deleteFrom('server_instances').where('last_seen_at', '<', staleBefore).executeTakeFirst();
      return { closedRecords: Number(closed.numUpdatedRows), removedInstances: Number(removed.numDeletedRows) };
    });
  }

  /** Deletes records closed before `before`; open records are never deleted. */
  async deleteClosedBefore(before: string): Promise<number> {
    const result = await this.db
      .deleteFrom('connection_records')
      .where('disconnected_at', 'is not', null)
      .where('disconnected_at', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Live connections per route and instance, counting only instances seen since `staleBefore`. */
  async liveSummary(staleBefore: string): Promise<LiveSummary> {
    const openOfLive = this.db
      .selectFrom('connection_records as r')
      .innerJoin('server_instances as i', 'i.instance_id', 'r.instance_id')
      .where('r.disconnected_at', 'is', null)
      .where('i.last_seen_at', '>=', staleBefore);
    const [routeRows, userRow, instanceRows] = await Promise.all([
      openOfLive
        .select(['r.route', 'r.instance_id', (eb) => eb.fn.countAll().as('connections')])
        .groupBy(['r.route', 'r.instance_id'])
        .execute(),
      openOfLive.select((eb) => eb.fn.count('r.user_id').distinct().as('users')).executeTakeFirst(),
      this.db.selectFrom('server_instances').selectAll().where('last_seen_at', '>=', staleBefore).execute(),
    ]);
    // Sorted here, not in SQL: PostgreSQL collations ignore punctuation, and paths are all punctuation.
    const routes = routeRows
      .map((row) => ({ route: row.route, instance_id: row.instance_id, connections: Number(row.connections) }))
      .sort((a, b) => byText(a.route, b.route) || byText(a.instance_id, b.instance_id));
    const perInstance = new Map<string, number>();
    for (const row of routes) perInstance.set(row.instance_id, (perInstance.get(row.instance_id) ?? 0) + row.connections);
    return {
      connections: routes.reduce((sum, row) => sum + row.connections, 0),
      users: Number(userRow?.users ?? 0),
      routes,
      instances: instanceRows
        .map((row) => ({ ...row, connections: perInstance.get(row.instance_id) ?? 0 }))
        .sort((a, b) => byText(a.instance_id, b.instance_id)),
    };
  }
}

/**
 * One UPDATE for many closes, each with its own time and code: the closes are a VALUES
 * list joined on the primary key (`WITH … UPDATE … FROM`, in SQLite ≥ 3.33 and PostgreSQL).
 */
async function closeMany(trx: Transaction<Database>, closes: readonly RecordClose[]): Promise<void> {
  const values = sql.join(closes.map((c) => sql`(${c.id}, cast(${c.disconnectedAt} as text), cast(${c.closeCode} as integer))`));
  await sql`with closes (id, disconnected_at, close_code) as (values ${values})
    update connection_records
    set disconnected_at = closes.disconnected_at, close_code = closes.close_code
    from closes
    where connection_records.id = closes.id and connection_records.disconnected_at is null`.execute(trx);
}

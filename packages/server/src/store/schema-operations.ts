/**
 * Tables of the operations feature: one row per WebSocket connection (the seed's
 * connection tracking model) and one heartbeat row per live server instance.
 * Timestamps are ISO-8601 UTC text, like every other table, so they compare as text.
 */

export interface ConnectionRecordsTable {
  /** UUID; derived from the instance run and the connection id, so a retried batch insert is idempotent. */
  id: string;
  /** The connection's number within its process (not unique across instances or restarts). */
  connection_id: number;
  user_id: string;
  /** Route pattern, e.g. `/ws/channels/:id/`. */
  route: string;
  /** JSON object of the route's path parameters. */
  params: string;
  instance_id: string;
  connected_at: string;
  /** Null while the connection is open (or its instance died before recording the close). */
  disconnected_at: string | null;
  /** WebSocket close code; null when unknown (closed by crash recovery or cleanup). */
  close_code: number | null;
}

interface ServerInstancesTable {
  instance_id: string;
  version: string;
  started_at: string;
  /** Refreshed every heartbeat; an instance silent for longer than the stale window is dead. */
  last_seen_at: string;
}

export interface OperationsTables {
  connection_records: ConnectionRecordsTable;
  server_instances: ServerInstancesTable;
}

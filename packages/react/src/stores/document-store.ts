/**
 * A collaborative document over the JSON endpoint `/ws/documents/<uuid>/`, pure: it
 * takes server messages and the user's edits, and hands out the next `update` to
 * send. One update is in flight at a time; it carries the version the edit was based
 * on, so the server merges it when others edited meanwhile (PROTOCOL.md §2). Remote
 * changes that arrive while the user has unsent edits are rebased at character level
 * (see rebase.ts); a refused edit is rebased onto the current text and sent again, and
 * only when that fails too is it reported as a conflict, its text kept for the user.
 */
import type { DocumentUser } from '@switchboard/protocol';
import { rebase, spliceBetween, transformOffset, type Splice } from './rebase.js';
import { ExternalStore } from './store.js';

export interface RemoteCursor {
  readonly user_id: string;
  readonly user_name: string;
  readonly position: unknown;
}

export interface RejectedEdit {
  /** The text the user had, which could not be saved. */
  readonly content: string;
  readonly message: string;
}

export interface DocumentSnapshot {
  /** True once the first `document_state` arrived. */
  readonly loaded: boolean;
  /** The text as the user sees it: the server's plus unsaved edits. */
  readonly content: string;
  /** The newest version the server confirmed. */
  readonly version: number;
  /** Users on the document (either endpoint, every instance). */
  readonly users: readonly DocumentUser[];
  /** The last cursor each other user sent, by user id. */
  readonly cursors: Readonly<Record<string, RemoteCursor>>;
  /** Edits not yet confirmed by the server. */
  readonly saving: boolean;
  /** An edit the server refused that could not be rebased; cleared by `dismissRejected`. */
  readonly rejected?: RejectedEdit;
}

export interface OutgoingUpdate {
  readonly content: string;
  /** The version the edit is based on. */
  readonly version: number;
}

interface Snapshot {
  readonly content: string;
  readonly version: number;
}

interface InFlight {
  readonly content: string;
  readonly base: Snapshot;
  ref?: string;
  /** The server merged it: `document_updated` with this ref already moved the base. */
  merged?: boolean;
  /** The server refused it; a `document_state` follows for conflicts. */
  refused?: { code: string; message: string };
  /** The socket dropped after it was written: it may or may not have been stored. */
  uncertain?: boolean;
}

interface ServerMessageLike {
  type: string;
  ref?: string;
  data?: unknown;
  code?: unknown;
  message?: unknown;
}

/**
 * Cursors whose position is `{ index, end? }` (character offsets, the convention the
 * demo app uses) move with the text when it changes, until their user sends a new one.
 */
function moveCursors(cursors: Readonly<Record<string, RemoteCursor>>, splice: Splice | undefined): Readonly<Record<string, RemoteCursor>> {
  if (!splice) return cursors;
  let moved: Record<string, RemoteCursor> | undefined;
  for (const [userId, cursor] of Object.entries(cursors)) {
    const position = cursor.position as { index?: unknown; end?: unknown } | null;
    if (typeof position !== 'object' || position === null || typeof position.index !== 'number') continue;
    const next: Record<string, unknown> = { ...position, index: transformOffset(position.index, splice) };
    if (typeof position.end === 'number') next.end = transformOffset(position.end, splice);
    moved ??= { ...cursors };
    moved[userId] = { ...cursor, position: next };
  }
  return moved ?? cursors;
}

export const INITIAL_DOCUMENT: DocumentSnapshot = Object.freeze({
  loaded: false,
  content: '',
  version: 0,
  users: [],
  cursors: {},
  saving: false,
});

export class DocumentStore extends ExternalStore<DocumentSnapshot> {
  /** The newest server text known, which local edits are based on. */
  private base: Snapshot = { content: '', version: 0 };
  private inflight: InFlight | undefined;
  /** A remote change that arrived while an update was in flight. */
  private held: Snapshot | undefined;

  constructor(private readonly selfUserId?: string) {
    super(INITIAL_DOCUMENT);
  }

  receive(message: ServerMessageLike): void {
    const data = (message.data ?? {}) as Record<string, unknown>;
    switch (message.type) {
      case 'document_state':
        this.stateReceived(String(data.content ?? ''), Number(data.version), message.ref);
        if (Array.isArray(data.users)) this.setUsers(data.users as DocumentUser[]);
        return;
      case 'document_updated':
        this.updated(String(data.content ?? ''), Number(data.version), message.ref);
        return;
      case 'update_ack':
        this.acknowledged(Number(data.version), message.ref);
        return;
      case 'error':
        this.refused(String(message.code ?? ''), String(message.message ?? ''), message.ref);
        return;
      case 'user_joined':
        this.joined(data as unknown as DocumentUser);
        return;
      case 'user_left':
        this.left(String(data.user_id));
        return;
      case 'cursor_moved':
        this.cursorMoved(data as unknown as RemoteCursor);
        return;
    }
  }

  /** The user changed the text. */
  edit(content: string): void {
    if (content === this.current.content) return;
    this.publish(content);
  }

  /** The next update to send, if any; the caller sends it and reports the `ref` with `sent`. */
  takeUpdate(): OutgoingUpdate | undefined {
    const content = this.current.content;
    if (!this.current.loaded || this.inflight || content === this.base.content) return undefined;
    this.inflight = { content, base: this.base };
    return { content, version: this.base.version };
  }

  sent(ref: string): void {
    if (this.inflight && this.inflight.ref === undefined) this.inflight.ref = ref;
  }

  /**
   * The update sent with `ref` got no answer in time (the server may drop a message
   * without naming it): like one written before a drop, it may or may not have been
   * stored. True when the store now waits for a `document_state` to settle it.
   */
  unanswered(ref: string): boolean {
    const inflight = this.inflight;
    if (!inflight || inflight.ref !== ref || inflight.merged || inflight.refused) return false;
    inflight.uncertain = true;
    return true;
  }

  /** An update of uncertain fate waits for the next `document_state`. */
  get awaitingState(): boolean {
    return this.inflight?.uncertain === true;
  }

  /** The connection dropped: an update written before may or may not have been stored. */
  connectionLost(): void {
    if (this.inflight) this.inflight.uncertain = true;
    if (this.current.users.length > 0 || Object.keys(this.current.cursors).length > 0) {
      this.setState({ ...this.current, users: [], cursors: {} });
    }
  }

  dismissRejected(): void {
    if (!this.current.rejected) return;
    const { rejected: _dropped, ...rest } = this.current;
    this.setState(rest);
  }

  // ---- server messages ----

  private stateReceived(content: string, version: number, ref: string | undefined): void {
    if (!Number.isFinite(version)) return;
    const inflight = this.inflight;
    if (!this.current.loaded) {
      this.base = { content, version };
      this.publish(content, { loaded: true });
      return;
    }
    if (inflight && (inflight.uncertain || (inflight.refused && (ref === undefined || ref === inflight.ref)))) {
      this.inflight = undefined;
      this.settleRefusedOrUncertain(inflight, { content, version });
      return;
    }
    if (version < this.base.version) return;
    if (inflight) {
      this.held = { content, version };
      return;
    }
    this.remote({ content, version });
  }

  private updated(content: string, version: number, ref: string | undefined): void {
    if (!Number.isFinite(version) || version <= this.base.version) return;
    const inflight = this.inflight;
    if (inflight && ref !== undefined && ref === inflight.ref) {
      // The server merged our edit with others': adopt the result, keep what was typed since.
      inflight.merged = true;
      this.base = { content, version };
      if (this.held && this.held.version <= version) this.held = undefined;
      this.rebaseLocal(inflight.content, content);
      return;
    }
    if (inflight) {
      if (!this.held || this.held.version < version) this.held = { content, version };
      return;
    }
    this.remote({ content, version });
  }

  private acknowledged(version: number, ref: string | undefined): void {
    const inflight = this.inflight;
    if (!inflight || (ref !== undefined && inflight.ref !== undefined && ref !== inflight.ref)) return;
    this.inflight = undefined;
    if (!inflight.merged && Number.isFinite(version) && version > this.base.version) {
      this.base = { content: inflight.content, version };
    }
    const held = this.held;
    this.held = undefined;
    if (held && held.version > this.base.version) this.remote(held);
    else this.publish(this.current.content);
  }

  private refused(code: string, message: string, ref: string | undefined): void {
    const inflight = this.inflight;
    if (!inflight || ref === undefined || ref !== inflight.ref) return;
    inflight.refused = { code, message };
    if (code === 'conflict') return; // document_state follows: rebase onto it then.
    // Not mergeable by retrying (too large, invalid): back to the server's text, keep the user's.
    this.inflight = undefined;
    const rejected = { content: this.current.content, message };
    this.publish(this.base.content, { rejected });
  }

  // ---- helpers ----

  /** Someone else's change, with no update of ours in flight. */
  private remote(next: Snapshot): void {
    const previous = this.base;
    this.base = next;
    this.rebaseLocal(previous.content, next.content);
  }

  /** Moves local edits made on top of `from` onto `to`; overlapping edits become `rejected`. */
  private rebaseLocal(from: string, to: string): void {
    const local = this.current.content;
    const moved = rebase(from, local, to);
    if (moved !== undefined) this.publish(moved);
    else this.publish(to, { rejected: { content: local, message: 'Someone else changed the same text; your version is kept below.' } });
  }

  private settleRefusedOrUncertain(inflight: InFlight, current: Snapshot): void {
    this.base = current;
    const local = this.current.content;
    if (inflight.uncertain && !inflight.refused) {
      // Stored before the drop? Then the current text already has it.
      if (current.content === inflight.content) {
        this.publish(local);
        return;
      }
      const unsaved = rebase(inflight.base.content, local, current.content);
      const saved = unsaved === undefined ? rebase(inflight.content, local, current.content) : undefined;
      const moved = unsaved ?? saved;
      if (moved !== undefined) {
        this.publish(moved);
        return;
      }
    } else {
      // A refused conflict: line-level on the server, maybe clean at character level.
      const moved = rebase(inflight.base.content, local, current.content);
      if (moved !== undefined) {
        this.publish(moved);
        return;
      }
    }
    const message = inflight.refused?.message ?? 'Your edit could not be saved.';
    this.publish(current.content, { rejected: { content: local, message } });
  }

  private publish(content: string, extra: Partial<DocumentSnapshot> = {}): void {
    const saving = this.inflight !== undefined || content !== this.base.content;
    const cursors = content === this.current.content ? this.current.cursors : moveCursors(this.current.cursors, spliceBetween(this.current.content, content));
    this.setState({ ...this.current, cursors, ...extra, content, version: this.base.version, saving });
  }

  private setUsers(users: readonly DocumentUser[]): void {
    const unique = new Map(users.map((user) => [user.user_id, user]));
    this.setState({ ...this.current, users: [...unique.values()] });
  }

  private joined(user: DocumentUser): void {
    if (typeof user.user_id !== 'string' || this.current.users.some((known) => known.user_id === user.user_id)) return;
    this.setState({ ...this.current, users: [...this.current.users, { user_id: user.user_id, user_name: user.user_name }] });
  }

  private left(userId: string): void {
    const users = this.current.users.filter((user) => user.user_id !== userId);
    const { [userId]: _gone, ...cursors } = this.current.cursors;
    if (users.length === this.current.users.length && !(userId in this.current.cursors)) return;
    this.setState({ ...this.current, users, cursors });
  }

  private cursorMoved(cursor: RemoteCursor): void {
    if (typeof cursor.user_id !== 'string' || cursor.user_id === this.selfUserId) return;
    const entry = { user_id: cursor.user_id, user_name: String(cursor.user_name ?? ''), position: cursor.position };
    this.setState({ ...this.current, cursors: { ...this.current.cursors, [cursor.user_id]: entry } });
  }
}

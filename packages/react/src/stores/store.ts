/**
 * The smallest external store `useSyncExternalStore` needs: an immutable snapshot,
 * replaced (never mutated) on change, and listeners told after each replacement.
 * Feature stores extend it with pure methods that take server messages.
 */
export type Listener = () => void;

export class ExternalStore<T> {
  private listeners = new Set<Listener>();

  constructor(private snapshot: T) {}

  /** The current snapshot; the same object until the next change. */
  readonly getSnapshot = (): T => this.snapshot;

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  protected get current(): T {
    return this.snapshot;
  }

  /** Replaces the snapshot; an identical object (nothing changed) notifies nobody. */
  protected setState(next: T): void {
    if (Object.is(next, this.snapshot)) return;
    this.snapshot = next;
    for (const listener of [...this.listeners]) listener();
  }

  /** Merges fields into the snapshot when at least one of them changed. */
  protected patch(fields: Partial<T>): void {
    let changed = false;
    for (const key of Object.keys(fields) as (keyof T)[]) {
      if (!Object.is(fields[key], this.snapshot[key])) {
        changed = true;
        break;
      }
    }
    if (changed) this.setState({ ...this.snapshot, ...fields });
  }
}

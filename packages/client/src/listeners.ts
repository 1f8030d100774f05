/** A small typed listener registry; a throwing listener never breaks the connection. */

export type Unsubscribe = () => void;

type Listener = (value: never) => void;

export class Listeners {
  private readonly byName = new Map<string, Set<Listener>>();

  add(name: string, listener: Listener): Unsubscribe {
    let set = this.byName.get(name);
    if (!set) {
      set = new Set();
      this.byName.set(name, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.byName.get(name) === set) this.byName.delete(name);
    };
  }

  emit(name: string, value: unknown): void {
    const set = this.byName.get(name);
    if (!set) return;
    // A copy: listeners may unsubscribe (or subscribe) while being called.
    for (const listener of [...set]) {
      try {
        (listener as (value: unknown) => void)(value);
      } catch (error) {
        // Surface the application's bug without unwinding the connection's own code.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

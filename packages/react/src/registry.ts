/**
 * Shared stores by key (`channel:<id>`, `notifications`, …), so every component that
 * shows the same channel reads one store fed by one set of listeners. A store is
 * created during render (no side effects) and attached to its connection while at
 * least one mounted component retains it. Released stores stay cached, detached, so
 * going back to a screen shows what it had at once; the least recently released are
 * evicted beyond `maxIdle`.
 */
import type { SwitchboardClient } from '@switchboard/client';

/** A store plus how to feed it: `attach` takes the connection and returns what undoes it. */
export interface Binding<S = unknown> {
  readonly store: S;
  attach(client: SwitchboardClient): () => void;
}

interface Attachment {
  key: string;
  refs: number;
  detach: (() => void) | undefined;
}

export const DEFAULT_MAX_IDLE_BINDINGS = 20;

export class BindingRegistry {
  private readonly byKey = new Map<string, Binding>();
  private readonly attachments = new Map<Binding, Attachment>();
  /** Released (or never retained) bindings, least recently released first. */
  private readonly idle = new Set<Binding>();
  private generation = 0;

  constructor(
    readonly client: SwitchboardClient,
    private readonly maxIdle = DEFAULT_MAX_IDLE_BINDINGS,
  ) {}

  /** The binding of `key`, created by `create` when there is none. Safe during render. */
  get<B extends Binding>(key: string, create: () => B): B {
    const existing = this.byKey.get(key);
    if (existing) return existing as B;
    const binding = create();
    this.byKey.set(key, binding);
    this.attachments.set(binding, { key, refs: 0, detach: undefined });
    this.markIdle(binding);
    return binding;
  }

  /** Whether `key` has a binding (attached or cached). */
  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** Number of components retaining the binding of `key`. */
  refs(key: string): number {
    const binding = this.byKey.get(key);
    return binding ? (this.attachments.get(binding)?.refs ?? 0) : 0;
  }

  /**
   * Takes a reference (from an effect); the first one attaches the binding. The
   * binding a component got during render is the one it retains, even if the cache
   * dropped it in between. The returned function gives the reference back, once.
   */
  retain(key: string, binding: Binding): () => void {
    let attachment = this.attachments.get(binding);
    if (!attachment) {
      attachment = { key, refs: 0, detach: undefined };
      this.attachments.set(binding, attachment);
    }
    if (!this.byKey.has(key)) this.byKey.set(key, binding);
    this.idle.delete(binding);
    if (attachment.refs++ === 0) attachment.detach = binding.attach(this.client);
    const generation = this.generation;
    let released = false;
    return () => {
      if (released || generation !== this.generation) return;
      released = true;
      this.release(binding);
    };
  }

  /** Detaches and forgets everything (logout); outstanding releases become no-ops. */
  clear(): void {
    this.generation++;
    for (const attachment of this.attachments.values()) attachment.detach?.();
    this.attachments.clear();
    this.byKey.clear();
    this.idle.clear();
  }

  private release(binding: Binding): void {
    const attachment = this.attachments.get(binding);
    if (!attachment || attachment.refs === 0) return;
    if (--attachment.refs > 0) return;
    const detach = attachment.detach;
    attachment.detach = undefined;
    detach?.();
    this.markIdle(binding);
  }

  private markIdle(binding: Binding): void {
    this.idle.delete(binding);
    this.idle.add(binding);
    while (this.idle.size > this.maxIdle) {
      const oldest = this.idle.values().next().value as Binding;
      this.idle.delete(oldest);
      const attachment = this.attachments.get(oldest);
      this.attachments.delete(oldest);
      if (attachment && this.byKey.get(attachment.key) === oldest) this.byKey.delete(attachment.key);
    }
  }
}

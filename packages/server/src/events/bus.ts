/**
 * A small typed publish/subscribe bus for domain events inside one server instance
 * (the seed's Django "signal handlers"): a feature announces what happened
 * (`post.published`) and other features react (notifications, analytics) without the
 * publisher knowing them. One bus per server, like NotificationService.for(context).
 *
 * Delivery is in-process and at-most-once; anything that must survive is written to
 * the database before the event is published. Cross-instance fan-out stays with the
 * channel layer.
 */
import type { ServerContext } from '../core/context.js';
import type { DomainEvents } from './domain.js';

export type EventHandler<E> = (event: E) => void | Promise<void>;

type BusContext = Pick<ServerContext, 'logger'>;

const buses = new WeakMap<BusContext, EventBus>();

export class EventBus<Events extends object = DomainEvents> {
  private readonly handlers = new Map<keyof Events, Set<EventHandler<never>>>();

  /** The bus of one server: every app of that server publishes and subscribes here. */
  static for(context: BusContext): EventBus {
    let bus = buses.get(context);
    if (!bus) {
      bus = new EventBus<DomainEvents>(context.logger);
      buses.set(context, bus);
    }
    return bus;
  }

  constructor(private readonly logger: BusContext['logger']) {}

  /** Registers a handler; returns the function that removes it (call it from App.stop). */
  subscribe<K extends keyof Events>(type: K, handler: EventHandler<Events[K]>): () => void {
    let set = this.handlers.get(type);
    if (!set) {
      set = new Set();
      this.handlers.set(type, set);
    }
    set.add(handler as EventHandler<never>);
    return () => {
      set.delete(handler as EventHandler<never>);
    };
  }

  /**
   * Runs every handler of `type` concurrently and resolves when all have settled. A
   * failing handler is logged, never thrown: the publisher's write is already
   * committed, and a caller retrying on an error would repeat it.
   */
  async publish<K extends keyof Events>(type: K, event: Events[K]): Promise<void> {
    const set = this.handlers.get(type);
    if (!set || set.size === 0) return;
    const runs = [...set].map(async (handler) => (handler as EventHandler<Events[K]>)(event));
    for (const result of await Promise.allSettled(runs)) {
      if (result.status === 'rejected') this.logger.error({ err: result.reason, event: String(type) }, 'event handler failed');
    }
  }
}

/** Domain events: the per-server bus and the event catalogue. */
export { EventBus, type EventHandler } from './bus.js';
export type { DomainEvents, DomainEventName, PostReader } from './domain.js';

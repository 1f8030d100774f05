/** The glue between the registry and components: a shared binding, retained while mounted. */
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import type { Binding } from '../registry.js';
import type { ExternalStore } from '../stores/store.js';
import { useSwitchboard } from '../provider.js';

/**
 * The binding of `key` (created by `create` the first time), attached while this
 * component is mounted. `key` null: nothing (e.g. no channel selected yet).
 */
export function useBinding<B extends Binding>(key: string | null, create: () => B): B | undefined {
  const { registry } = useSwitchboard();
  const binding = key === null ? undefined : registry.get(key, create);
  useEffect(() => {
    if (key === null || !binding) return;
    return registry.retain(key, binding);
  }, [registry, key, binding]);
  return binding;
}

const noSubscription = (): (() => void) => () => undefined;

/** Subscribes to a store's snapshot; `fallback` while there is no store. */
export function useStoreSnapshot<T>(store: ExternalStore<T> | undefined, fallback: T): T {
  return useSyncExternalStore(
    store ? store.subscribe : noSubscription,
    store ? store.getSnapshot : () => fallback,
    store ? store.getSnapshot : () => fallback,
  );
}

/**
 * Subscribes to one field of a store's snapshot: the component re-renders only when
 * that field is replaced, not on every change of the snapshot.
 */
export function useStoreField<T, K extends keyof T>(store: ExternalStore<T> | undefined, field: K, fallback: T[K]): T[K] {
  const read = useCallback(() => (store ? store.getSnapshot()[field] : fallback), [store, field, fallback]);
  return useSyncExternalStore(store ? store.subscribe : noSubscription, read, read);
}

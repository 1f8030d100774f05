import { SwitchboardClient } from '@switchboard/client';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BindingRegistry, type Binding } from '../src/registry.js';
import { ExternalStore } from '../src/stores/store.js';

class Counter extends ExternalStore<{ count: number }> {
  constructor() {
    super({ count: 0 });
  }
  increment(): void {
    this.patch({ count: this.getSnapshot().count + 1 });
  }
  touch(): void {
    this.patch({ count: this.getSnapshot().count });
  }
}

/** A binding that records its attach/detach calls. */
function recordingBinding(log: string[], name: string): Binding<Counter> {
  return {
    store: new Counter(),
    attach() {
      log.push(`attach ${name}`);
      return () => log.push(`detach ${name}`);
    },
  };
}

// Never connects: the registry only hands the client to `attach`.
const client = new SwitchboardClient({ url: 'ws://127.0.0.1:9', WebSocket: WebSocket as never });

describe('ExternalStore', () => {
  it('replaces the snapshot on change and notifies; an unchanged patch notifies nobody', () => {
    const store = new Counter();
    const seen: number[] = [];
    const unsubscribe = store.subscribe(() => seen.push(store.getSnapshot().count));
    const first = store.getSnapshot();
    store.touch();
    expect(store.getSnapshot()).toBe(first);
    store.increment();
    store.increment();
    expect(seen).toEqual([1, 2]);
    expect(first.count).toBe(0);
    unsubscribe();
    store.increment();
    expect(seen).toEqual([1, 2]);
  });
});

describe('BindingRegistry', () => {
  it('attaches on the first retain and detaches after the last release', () => {
    const log: string[] = [];
    const registry = new BindingRegistry(client);
    const binding = registry.get('a', () => recordingBinding(log, 'a'));
    expect(registry.get('a', () => recordingBinding(log, 'other'))).toBe(binding);
    expect(log).toEqual([]);
    const releaseOne = registry.retain('a', binding);
    const releaseTwo = registry.retain('a', binding);
    expect(log).toEqual(['attach a']);
    expect(registry.refs('a')).toBe(2);
    releaseOne();
    releaseOne();
    expect(log).toEqual(['attach a']);
    releaseTwo();
    expect(log).toEqual(['attach a', 'detach a']);
    expect(registry.refs('a')).toBe(0);
    // Still cached: going back shows the same store.
    expect(registry.get('a', () => recordingBinding(log, 'new'))).toBe(binding);
  });

  it('keeps the store across a release and retain in one commit (React StrictMode)', () => {
    const log: string[] = [];
    const registry = new BindingRegistry(client);
    const binding = registry.get('a', () => recordingBinding(log, 'a'));
    binding.store.increment();
    registry.retain('a', binding)();
    registry.retain('a', binding);
    expect(log).toEqual(['attach a', 'detach a', 'attach a']);
    expect(registry.get('a', () => recordingBinding(log, 'new')).store.getSnapshot().count).toBe(1);
  });

  it('evicts the least recently released idle bindings beyond maxIdle', () => {
    const log: string[] = [];
    const registry = new BindingRegistry(client, 2);
    const held = registry.get('held', () => recordingBinding(log, 'held'));
    registry.retain('held', held);
    for (const key of ['a', 'b', 'c']) registry.retain(key, registry.get(key, () => recordingBinding(log, key)))();
    expect(registry.has('a')).toBe(false);
    expect(registry.has('b')).toBe(true);
    expect(registry.has('c')).toBe(true);
    // Retained bindings are never evicted.
    expect(registry.has('held')).toBe(true);
  });

  it('re-inserts the binding a component rendered with if it was evicted before its effect ran', () => {
    const log: string[] = [];
    const registry = new BindingRegistry(client, 1);
    const rendered = registry.get('a', () => recordingBinding(log, 'a'));
    registry.get('b', () => recordingBinding(log, 'b'));
    expect(registry.has('a')).toBe(false);
    registry.retain('a', rendered);
    expect(registry.get('a', () => recordingBinding(log, 'new'))).toBe(rendered);
    expect(log).toEqual(['attach a']);
  });

  it('clear() detaches everything and makes outstanding releases no-ops', () => {
    const log: string[] = [];
    const registry = new BindingRegistry(client);
    const binding = registry.get('a', () => recordingBinding(log, 'a'));
    const release = registry.retain('a', binding);
    registry.clear();
    expect(log).toEqual(['attach a', 'detach a']);
    expect(registry.has('a')).toBe(false);
    release();
    expect(log).toEqual(['attach a', 'detach a']);
  });
});

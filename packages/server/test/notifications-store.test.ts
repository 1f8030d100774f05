/**
 * NotificationRepository against a real SQLite file and a real PostgreSQL database:
 * wire-shaped rows, newest-first listing with limits, unread counts, owner-only reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../src/store/store.js';
import { uniqueName } from './support/accounts.js';
import { DIALECTS, databaseUrl } from './support/databases.js';

const input = (title: string) => ({ notification_type: 'general', title, message: `${title} body` });

describe.each(DIALECTS)('NotificationRepository on %s', (dialect) => {
  let store: Store;

  beforeAll(async () => {
    store = new Store(await databaseUrl(dialect));
    await store.migrate();
  });
  afterAll(() => store.close());

  it('creates rows in the wire shape and reads them back identically', async () => {
    const user = uniqueName('u');
    const fields = {
      notification_type: 'mention',
      title: 'Mentioned',
      message: 'in #general',
      icon: 'at',
      color: 'purple',
      data: { channel: 'general', nested: { list: [1, 2] } },
    };
    const created = await store.notifications.create(user, fields);
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      ...fields,
      created_at: expect.any(String),
      read_at: null,
    });
    expect(await store.notifications.find(created.id, user)).toEqual(created);
    expect(await store.notifications.list(user)).toEqual([created]);
  });

  it('lists newest first, honours unread_only, and clamps limit to 1–100 (default 50)', async () => {
    const user = uniqueName('u');
    const ids: string[] = [];
    for (let i = 0; i < 55; i++) ids.push((await store.notifications.create(user, input(`n${i}`))).id);
    const all = await store.notifications.list(user);
    expect(all).toHaveLength(50);
    // Created in a tight loop (many within one millisecond), still listed in reverse creation order.
    expect(all.map((n) => n.id)).toEqual(ids.slice(5).reverse());
    expect(await store.notifications.list(user, { limit: 3 })).toHaveLength(3);
    expect(await store.notifications.list(user, { limit: 1000 })).toHaveLength(55);
    expect(await store.notifications.list(user, { limit: 0 })).toHaveLength(1);

    expect(await store.notifications.markRead(ids[54]!, user)).toBe(true);
    const unread = await store.notifications.list(user, { unreadOnly: true, limit: 100 });
    expect(unread).toHaveLength(54);
    expect(unread.map((n) => n.id)).not.toContain(ids[54]);
    expect(await store.notifications.unreadCount(user)).toBe(54);
  });

  it('marks only the owner\'s notification, once; markAllRead reports how many changed', async () => {
    const owner = uniqueName('owner');
    const other = uniqueName('other');
    const mine = await store.notifications.create(owner, input('mine'));
    await store.notifications.create(owner, input('second'));
    await store.notifications.create(other, input('theirs'));

    expect(await store.notifications.markRead(mine.id, other)).toBe(false);
    expect(await store.notifications.find(mine.id, other)).toBeUndefined();
    expect((await store.notifications.find(mine.id, owner))!.read_at).toBeNull();
    expect(await store.notifications.markRead('not-a-uuid', owner)).toBe(false);
    expect(await store.notifications.find('not-a-uuid', owner)).toBeUndefined();

    expect(await store.notifications.markRead(mine.id, owner)).toBe(true);
    expect(await store.notifications.markRead(mine.id, owner)).toBe(false);
    const read = await store.notifications.find(mine.id, owner);
    expect(new Date(read!.read_at!).toISOString()).toBe(read!.read_at);

    expect(await store.notifications.markAllRead(owner)).toBe(1);
    expect(await store.notifications.markAllRead(owner)).toBe(0);
    expect(await store.notifications.unreadCount(owner)).toBe(0);
    expect(await store.notifications.unreadCount(other)).toBe(1);
  });
});

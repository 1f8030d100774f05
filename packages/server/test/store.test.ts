/**
 * The Store (users, password hashes, revoked refresh tokens) against a real SQLite file
 * and a real PostgreSQL database: one case list, both dialects.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationProvider } from '../src/store/migrations.js';
import { Store } from '../src/store/store.js';
import { UsernameTakenError } from '../src/store/users.js';
import { PASSWORD, uniqueName } from './support/accounts.js';
import { DIALECTS, databaseUrl } from './support/databases.js';

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Whether the blacklist holds a row for `jti`. */
async function isRevoked(store: Store, jti: string): Promise<boolean> {
  const row = await store.db.selectFrom('revoked_tokens').select('jti').where('jti', '=', jti).executeTakeFirst();
  return row !== undefined;
}

describe.each(DIALECTS)('Store on %s', (dialect) => {
  let store: Store;

  beforeAll(async () => {
    store = new Store(await databaseUrl(dialect));
    await store.migrate();
  });
  afterAll(() => store.close());

  it('reports its dialect', () => {
    expect(store.dialect).toBe(dialect);
  });

  it('migrate is idempotent: a second run applies nothing and keeps the data', async () => {
    const fresh = new Store(await databaseUrl(dialect));
    try {
      // Every migration the provider ships runs once, in order, on a fresh database.
      const all = Object.keys(await migrationProvider.getMigrations());
      const first = await fresh.migrate();
      expect(all[0]).toBe('0001_users');
      expect(first.results?.map((r) => [r.migrationName, r.status])).toEqual(all.map((name) => [name, 'Success']));
      const user = await fresh.users.create({ username: 'survivor', password: PASSWORD });

      const second = await fresh.migrate();
      expect(second.error).toBeUndefined();
      expect(second.results).toEqual([]);
      expect(await fresh.users.findById(user.id)).toEqual(user);
    } finally {
      await fresh.close();
    }
  });

  it('creates a user and finds it by id and by username', async () => {
    const username = uniqueName('alice');
    const created = await store.users.create({ username, password: PASSWORD, name: '  Alice Liddell  ' });
    expect(created).toMatchObject({ username, name: 'Alice Liddell', isStaff: false });
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);

    expect(await store.users.findById(created.id)).toEqual(created);
    expect(await store.users.findByUsername(username)).toEqual(created);
    expect(await store.users.findById(randomUUID())).toBeUndefined();
    expect(await store.users.findByUsername(uniqueName('nobody'))).toBeUndefined();
  });

  it('defaults the display name to the username', async () => {
    const username = uniqueName('noname');
    expect((await store.users.create({ username, password: PASSWORD })).name).toBe(username);
    expect((await store.users.create({ username: `${username}2`, password: PASSWORD, name: '   ' })).name).toBe(`${username}2`);
  });

  it('stores only a salted scrypt hash of the password', async () => {
    const [a, b] = await Promise.all([
      store.users.create({ username: uniqueName('hash_a'), password: PASSWORD }),
      store.users.create({ username: uniqueName('hash_b'), password: PASSWORD }),
    ]);
    const rows = await store.db
      .selectFrom('users')
      .select(['id', 'password_hash'])
      .where('id', 'in', [a.id, b.id])
      .execute();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.password_hash.startsWith('scrypt$')).toBe(true);
      expect(row.password_hash).not.toContain(PASSWORD);
    }
    // A per-user salt: the same password never hashes to the same string twice.
    expect(rows[0]!.password_hash).not.toBe(rows[1]!.password_hash);
    // The public user object never carries the hash.
    expect(Object.keys(a).sort()).toEqual(['createdAt', 'id', 'isStaff', 'name', 'username']);
  });

  it('authenticates the right password only; an unknown user is undefined', async () => {
    const username = uniqueName('auth');
    const user = await store.users.create({ username, password: PASSWORD });
    expect(await store.users.authenticate(username, PASSWORD)).toEqual(user);
    expect(await store.users.authenticate(username, `${PASSWORD}!`)).toBeUndefined();
    expect(await store.users.authenticate(username, '')).toBeUndefined();
    expect(await store.users.authenticate(uniqueName('ghost'), PASSWORD)).toBeUndefined();
  });

  it('fails authentication, without throwing, for a stored hash it cannot use', async () => {
    const username = uniqueName('broken');
    const user = await store.users.create({ username, password: PASSWORD });
    // N must be a power of two: scrypt itself throws on this row.
    await store.db.updateTable('users').set({ password_hash: 'scrypt$abc$8$1$AAAA$AAAA' }).where('id', '=', user.id).execute();
    expect(await store.users.authenticate(username, PASSWORD)).toBeUndefined();
    // A foreign format (Django's pbkdf2) is refused too rather than mis-parsed.
    await store.db.updateTable('users').set({ password_hash: 'pbkdf2_sha256$600000$salt$hash' }).where('id', '=', user.id).execute();
    expect(await store.users.authenticate(username, PASSWORD)).toBeUndefined();
  });

  it('refuses a duplicate username with UsernameTakenError and keeps the first user', async () => {
    const username = uniqueName('dup');
    const first = await store.users.create({ username, password: PASSWORD, name: 'First' });
    const second = store.users.create({ username, password: 'another password', name: 'Second' });
    await expect(second).rejects.toBeInstanceOf(UsernameTakenError);
    await expect(second).rejects.toThrow(`username ${username} is taken`);
    expect(await store.users.findByUsername(username)).toEqual(first);
    expect(await store.users.authenticate(username, 'another password')).toBeUndefined();
  });

  it('concurrent creates of one username: exactly one succeeds, the rest are UsernameTakenError', async () => {
    const username = uniqueName('race');
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => store.users.create({ username, password: PASSWORD, name: `racer ${i}` })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(4);
    for (const failure of lost) expect(failure.reason).toBeInstanceOf(UsernameTakenError);
    const stored = await store.users.findByUsername(username);
    expect(stored).toEqual((won[0] as PromiseFulfilledResult<unknown>).value);
  });

  it('is_staff round trips as a boolean', async () => {
    const staff = await store.users.create({ username: uniqueName('staff'), password: PASSWORD, isStaff: true });
    const plain = await store.users.create({ username: uniqueName('plain'), password: PASSWORD });
    expect((await store.users.findById(staff.id))?.isStaff).toBe(true);
    expect((await store.users.findById(plain.id))?.isStaff).toBe(false);

    await store.users.setStaff(plain.id, true);
    await store.users.setStaff(staff.id, false);
    expect((await store.users.findByUsername(plain.username))?.isStaff).toBe(true);
    expect((await store.users.authenticate(staff.username, PASSWORD))?.isStaff).toBe(false);
  });

  it('revoke answers true the first time and false on a replay', async () => {
    const jti = randomUUID();
    const exp = nowSeconds() + 7 * 24 * 3600;
    expect(await isRevoked(store, jti)).toBe(false);
    expect(await store.revokedTokens.revoke(jti, 'user-1', exp)).toBe(true);
    expect(await isRevoked(store, jti)).toBe(true);
    expect(await store.revokedTokens.revoke(jti, 'user-1', exp)).toBe(false);
    expect(await isRevoked(store, randomUUID())).toBe(false);
  });

  it('concurrent revokes of one jti: exactly one is true (a refresh token is used once)', async () => {
    const jti = randomUUID();
    const exp = nowSeconds() + 3600;
    const results = await Promise.all(Array.from({ length: 5 }, () => store.revokedTokens.revoke(jti, 'user-1', exp)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('purgeExpired deletes only the rows whose tokens have expired', async () => {
    const now = nowSeconds();
    const [expiredLong, expiredJust, current, later] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await store.revokedTokens.revoke(expiredLong, 'user-1', now - 86_400);
    await store.revokedTokens.revoke(expiredJust, 'user-1', now - 1);
    // Expiring exactly now is not yet expired: strictly-before is what gets purged.
    await store.revokedTokens.revoke(current, 'user-1', now);
    await store.revokedTokens.revoke(later, 'user-1', now + 3600);

    expect(await store.revokedTokens.purgeExpired(new Date(now * 1000))).toBe(2);
    expect(await isRevoked(store, expiredLong)).toBe(false);
    expect(await isRevoked(store, expiredJust)).toBe(false);
    expect(await isRevoked(store, current)).toBe(true);
    expect(await isRevoked(store, later)).toBe(true);
    expect(await store.revokedTokens.purgeExpired(new Date(now * 1000))).toBe(0);
  });

  it('ping answers', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('close releases the database: later queries reject', async () => {
    const other = new Store(await databaseUrl(dialect));
    await other.migrate();
    await other.ping();
    await other.close();
    await expect(other.ping()).rejects.toThrow();
  });
});

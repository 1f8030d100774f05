/** Users: registration, lookup, password check. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, UsersTable } from './schema.js';
import { hashPassword, verifyPassword } from './password.js';

export interface User {
  id: string;
  username: string;
  name: string;
  isStaff: boolean;
  createdAt: string;
}

interface NewUser {
  username: string;
  password: string;
  name?: string;
  isStaff?: boolean;
}

export class UsernameTakenError extends Error {
  constructor(username: string) {
    super(`username ${username} is taken`);
    this.name = 'UsernameTakenError';
  }
}

function toUser(row: Pick<UsersTable, 'id' | 'username' | 'name' | 'is_staff' | 'created_at'>): User {
  return { id: row.id, username: row.username, name: row.name, isStaff: Boolean(row.is_staff), createdAt: row.created_at };
}

const PUBLIC_COLUMNS = ['id', 'username', 'name', 'is_staff', 'created_at'] as const;

export class UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(input: NewUser): Promise<User> {
    const row: UsersTable = {
      id: randomUUID(),
      username: input.username,
      name: input.name?.trim() || input.username,
      password_hash: await hashPassword(input.password),
      is_staff: input.isStaff ? 1 : 0,
      created_at: new Date().toISOString(),
    };
    try {
      await this.db.insertInto('users').values(row).execute();
    } catch (error) {
      if (await this.findByUsername(input.username)) throw new UsernameTakenError(input.username);
      throw error;
    }
    return toUser(row);
  }

  async findById(id: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async findByUsername(username: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').select(PUBLIC_COLUMNS).where('username', '=', username).executeTakeFirst();
    return row && toUser(row);
  }

  /** The user when the password matches, else undefined (same cost either way). */
  async authenticate(username: string, password: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    if (!row) {
      // Spend the same scrypt time so response time does not reveal which usernames exist.
      await verifyPassword(password, DUMMY_HASH);
      return undefined;
    }
    return (await verifyPassword(password, row.password_hash)) ? toUser(row) : undefined;
  }

  async setStaff(id: string, isStaff: boolean): Promise<void> {
    await this.db.updateTable('users').set({ is_staff: isStaff ? 1 : 0 }).where('id', '=', id).execute();
  }
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** Database access for the commands that work on the store directly. */
import { Store } from '../store/store.js';
import type { LoadedConfig } from './config.js';

/** Opens and migrates the database, runs `action`, closes it; needs no JWT configuration. */
export async function withStore<T>(config: LoadedConfig, action: (store: Store) => Promise<T>): Promise<T> {
  const store = new Store(config.databaseUrl);
  try {
    await store.migrate();
    return await action(store);
  } finally {
    await store.close();
  }
}

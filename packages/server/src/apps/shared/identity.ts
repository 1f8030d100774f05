/** How a REST caller is named on what they write (messages, comments, posts). */
import type { AuthUser } from '../../core/auth.js';
import type { ServerContext } from '../../core/context.js';

export interface NamedUser {
  id: string;
  name: string;
}

/**
 * The token's `name`, else the stored user's name, else the id. The verifier fills a
 * missing `name` claim with the id, so "name equals id" means the token had none.
 */
export async function namedUser(context: Pick<ServerContext, 'store'>, user: AuthUser): Promise<NamedUser> {
  if (user.name !== user.id) return { id: user.id, name: user.name };
  const stored = await context.store.users.findById(user.id);
  return { id: user.id, name: stored?.name ?? user.id };
}

/**
 * The user an access token names, read from its payload without verifying it (the
 * server verifies; the UI only needs the id and name). Claims as the server issues
 * them: `sub` (else `user_id`), `name`, `username`, `is_staff`, `exp`.
 */
export interface TokenUser {
  readonly id: string;
  readonly name: string;
  readonly username?: string;
  readonly isStaff: boolean;
  /** Expiry, milliseconds since the epoch (undefined when the token has no `exp`). */
  readonly expiresAt?: number;
}

function decodeBase64Url(segment: string): string {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(segment.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The token's user, or null when it is not a JWT with a subject. */
export function tokenUser(token: string | null | undefined): TokenUser | null {
  if (!token) return null;
  const payload = token.split('.')[1];
  if (!payload) return null;
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(decodeBase64Url(payload)) as Record<string, unknown>;
  } catch {
    return null;
  }
  const id = claims.sub ?? claims.user_id;
  if (typeof id !== 'string' && typeof id !== 'number') return null;
  const username = typeof claims.username === 'string' ? claims.username : undefined;
  const name = typeof claims.name === 'string' && claims.name ? claims.name : (username ?? String(id));
  return {
    id: String(id),
    name,
    ...(username ? { username } : {}),
    isStaff: claims.is_staff === true,
    ...(typeof claims.exp === 'number' ? { expiresAt: claims.exp * 1000 } : {}),
  };
}

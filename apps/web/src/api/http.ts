/**
 * REST calls to `/api/...` (relative: the app is served by the Switchboard server, or
 * by Vite's dev proxy). The access token comes from the session; a 401 triggers one
 * refresh and one retry. Errors carry the server's `{"error":{code,message}}`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface TokenSource {
  /** A valid access token (refreshed first when about to expire), or null when logged out. */
  accessToken(): Promise<string | null>;
  /** The server refused the token: a fresh one, or null when the session is over. */
  refreshed(): Promise<string | null>;
}

let tokens: TokenSource | null = null;

export function setTokenSource(source: TokenSource | null): void {
  tokens = source;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  /** Send the access token (default true). */
  auth?: boolean;
  /** This access token instead of the session's (e.g. one just issued, not stored yet); not refreshed on 401. */
  token?: string;
}

function url(path: string, query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function errorOf(response: Response): Promise<ApiError> {
  let code = 'http_error';
  let message = `${response.status} ${response.statusText}`.trim();
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.message) message = body.error.message;
    if (body.error?.code) code = body.error.code;
  } catch {
    // Not JSON (a proxy's error page): keep the status line.
  }
  return new ApiError(response.status, code, message);
}

async function send(path: string, options: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(url(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Cannot reach the server. Check your connection and try again.');
  }
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const auth = options.auth !== false;
  if (auth && options.token !== undefined) return parsed<T>(await send(path, options, options.token));
  let response = await send(path, options, auth ? ((await tokens?.accessToken()) ?? null) : null);
  if (response.status === 401 && auth && tokens) {
    const fresh = await tokens.refreshed();
    if (fresh) response = await send(path, options, fresh);
  }
  return parsed<T>(response);
}

async function parsed<T>(response: Response): Promise<T> {
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A message to show the user for any error. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * WebSocket route table: paths with `:param` segments, trailing slash optional
 * (`/ws/channels/:id/` matches `/ws/channels/abc` and `/ws/channels/abc/`).
 */

export interface RouteMatch<T> {
  readonly target: T;
  readonly params: Record<string, string>;
}

interface CompiledRoute<T> {
  readonly pattern: string;
  readonly segments: readonly string[];
  readonly target: T;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

export class Router<T> {
  private readonly routes: CompiledRoute<T>[] = [];

  add(pattern: string, target: T): void {
    const segments = splitPath(pattern);
    for (const existing of this.routes) {
      if (existing.segments.join('/') === segments.join('/')) throw new Error(`duplicate route ${pattern}`);
    }
    this.routes.push({ pattern, segments, target });
  }

  match(pathname: string): RouteMatch<T> | undefined {
    const parts = splitPath(pathname);
    for (const route of this.routes) {
      if (route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let matched = true;
      for (let i = 0; i < parts.length; i++) {
        const segment = route.segments[i]!;
        const part = parts[i]!;
        if (segment.startsWith(':')) {
          let value: string;
          try {
            value = decodeURIComponent(part);
          } catch {
            matched = false;
            break;
          }
          params[segment.slice(1)] = value;
        } else if (segment !== part) {
          matched = false;
          break;
        }
      }
      if (matched) return { target: route.target, params };
    }
    return undefined;
  }

  patterns(): string[] {
    return this.routes.map((route) => route.pattern);
  }
}

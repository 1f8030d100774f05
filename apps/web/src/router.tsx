/**
 * Hash routes (`#/chat/<workspace>/<channel>`), so deep links work whatever serves the
 * static files. `useRoute()` gives the path segments.
 */
import { useSyncExternalStore, type AnchorHTMLAttributes, type ReactNode } from 'react';

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

function currentPath(): string {
  const hash = window.location.hash.replace(/^#/, '');
  return hash.startsWith('/') ? hash : '/';
}

/** The current path's segments: `#/chat/a/b` → `['chat', 'a', 'b']`. */
export function useRoute(): string[] {
  const path = useSyncExternalStore(subscribe, currentPath);
  return path.split('/').filter(Boolean).map(decodeURIComponent);
}

export function navigate(path: string): void {
  window.location.hash = path;
}

export function href(...segments: string[]): string {
  return `#/${segments.map(encodeURIComponent).join('/')}`;
}

export function Link({ to, children, ...rest }: { to: string; children: ReactNode } & AnchorHTMLAttributes<HTMLAnchorElement>): ReactNode {
  return (
    <a {...rest} href={to}>
      {children}
    </a>
  );
}

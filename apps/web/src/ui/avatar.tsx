import type { ReactNode } from 'react';

const COLORS = ['#4f46e5', '#0891b2', '#059669', '#d97706', '#dc2626', '#7c3aed', '#db2777', '#2563eb'];

/** A stable color per user id. */
export function colorFor(key: string): string {
  let hash = 0;
  for (let index = 0; index < key.length; index++) hash = (hash * 31 + key.charCodeAt(index)) | 0;
  return COLORS[Math.abs(hash) % COLORS.length]!;
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  return ((parts[0]![0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1]![0] ?? '') : '')).toUpperCase();
}

export function Avatar({ id, name, size = 28, online, testId }: { id: string; name: string; size?: number; online?: boolean; testId?: string }): ReactNode {
  return (
    <span
      className="avatar"
      title={name}
      data-testid={testId}
      data-user-id={id}
      style={{ width: size, height: size, fontSize: Math.round(size * 0.4), background: colorFor(id) }}
    >
      {initials(name)}
      {online !== undefined && <span className={online ? 'presence-dot online' : 'presence-dot'} />}
    </span>
  );
}

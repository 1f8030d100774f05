/**
 * Other users' carets over the textarea: one transparent copy of the text per cursor
 * (same box and font as the editor, see `.editor` / `.cursor-mirror` in the styles),
 * ending in a colored caret with the user's name.
 */
import type { RemoteCursor } from '@switchboard/react';
import type { ReactNode } from 'react';
import { colorFor } from '../../ui/avatar.js';

function indexOf(position: unknown, length: number): number | undefined {
  const index = typeof position === 'object' && position !== null ? (position as { index?: unknown }).index : undefined;
  if (typeof index !== 'number' || !Number.isFinite(index)) return undefined;
  return Math.max(0, Math.min(length, Math.floor(index)));
}

export function RemoteCursors({ content, cursors, scrollTop }: { content: string; cursors: Readonly<Record<string, RemoteCursor>>; scrollTop: number }): ReactNode {
  return (
    <>
      {Object.values(cursors).map((cursor) => {
        const index = indexOf(cursor.position, content.length);
        if (index === undefined) return null;
        const color = colorFor(cursor.user_id);
        return (
          <div key={cursor.user_id} className="cursor-mirror" aria-hidden="true">
            <div style={{ transform: `translateY(${-scrollTop}px)` }}>
              {content.slice(0, index)}
              <span className="remote-caret" data-testid="remote-cursor" data-user-id={cursor.user_id} data-index={index} style={{ borderColor: color }}>
                <span className="remote-caret-label" style={{ background: color }}>
                  {cursor.user_name}
                </span>
              </span>
            </div>
          </div>
        );
      })}
    </>
  );
}

/** Toasts: pushed notifications and app notices, auto-dismissed after a few seconds. */
import { ExternalStore } from '@switchboard/react';
import { useSyncExternalStore, type ReactNode } from 'react';

export interface Toast {
  readonly id: number;
  readonly title: string;
  readonly body?: string;
  readonly kind: 'notification' | 'info' | 'error';
  readonly color?: string | null;
}

const DISMISS_AFTER_MS = 6000;
const MAX_TOASTS = 4;

class ToastStore extends ExternalStore<readonly Toast[]> {
  private nextId = 1;

  constructor() {
    super([]);
  }

  show(toast: Omit<Toast, 'id'>): void {
    const id = this.nextId++;
    this.setState([...this.current, { ...toast, id }].slice(-MAX_TOASTS));
    setTimeout(() => this.dismiss(id), DISMISS_AFTER_MS);
  }

  dismiss(id: number): void {
    const next = this.current.filter((toast) => toast.id !== id);
    if (next.length !== this.current.length) this.setState(next);
  }
}

export const toasts = new ToastStore();

export function ToastHost(): ReactNode {
  const list = useSyncExternalStore(toasts.subscribe, toasts.getSnapshot);
  return (
    <div className="toast-host" aria-live="polite">
      {list.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.kind}`} data-testid="toast" data-kind={toast.kind} style={toast.color ? { borderLeftColor: toast.color } : undefined}>
          <div className="toast-text">
            <div className="toast-title">{toast.title}</div>
            {toast.body && <div className="toast-body">{toast.body}</div>}
          </div>
          <button type="button" className="link-button" aria-label="Dismiss" onClick={() => toasts.dismiss(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

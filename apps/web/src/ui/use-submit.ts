/**
 * A form's submission: one at a time, with the error to show. Submit buttons take
 * `busy` into `disabled`, so a double click sends one request.
 */
import { useCallback, useRef, useState, type FormEvent } from 'react';
import { errorMessage } from '../api/http.js';

export interface Submission {
  readonly busy: boolean;
  readonly error: string | null;
  setError(error: string | null): void;
  /** Runs `action` unless one is running; its failure becomes `error`. */
  run(action: () => Promise<void>): Promise<void>;
  /** A form's `onSubmit` that runs `action` without reloading the page. */
  onSubmit(action: () => Promise<void>): (event: FormEvent) => void;
}

export function useSubmit(): Submission {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // State updates land on the next render: a second submit in the same tick checks this instead.
  const running = useRef(false);

  const run = useCallback(async (action: () => Promise<void>) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);

  const onSubmit = useCallback(
    (action: () => Promise<void>) => (event: FormEvent) => {
      event.preventDefault();
      void run(action);
    },
    [run],
  );

  return { busy, error, setError, run, onSubmit };
}

/** A REST resource loaded on mount (and when `key` changes), with its error and a reload. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/http.js';

export interface Resource<T> {
  readonly data: T | undefined;
  readonly error: string | null;
  readonly loading: boolean;
  reload(): Promise<void>;
  /** Replaces the data locally (after a create or update). */
  setData(update: (current: T | undefined) => T | undefined): void;
}

export function useResource<T>(key: string | null, fetcher: () => Promise<T>): Resource<T> {
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(key !== null);
  const latestFetcher = useRef(fetcher);
  latestFetcher.current = fetcher;
  const generation = useRef(0);

  const reload = useCallback(async () => {
    if (key === null) return;
    const mine = ++generation.current;
    setLoading(true);
    try {
      const value = await latestFetcher.current();
      if (mine !== generation.current) return;
      setDataState(value);
      setError(null);
    } catch (caught) {
      if (mine === generation.current) setError(errorMessage(caught));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [key]);

  useEffect(() => {
    setDataState(undefined);
    setError(null);
    void reload();
  }, [reload]);

  const setData = useCallback((update: (current: T | undefined) => T | undefined) => setDataState(update), []);
  return { data, error, loading, reload, setData };
}

import { useEffect, useState } from 'react';
import { ApiError, getJson } from './api.js';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | Error | undefined;
  loading: boolean;
}

/** GET a resource below /api/v1 whenever `path` changes (null: nothing to load yet). */
export function useApi<T>(
  path: string | null,
  load: (p: string, s: AbortSignal) => Promise<T> = getJson,
): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({
    data: undefined,
    error: undefined,
    loading: path !== null,
  });
  useEffect(() => {
    if (path === null) return;
    const ctl = new AbortController();
    setState((s) => ({ data: s.data, error: undefined, loading: true }));
    load(path, ctl.signal).then(
      (data) => setState({ data, error: undefined, loading: false }),
      (error: unknown) => {
        if (ctl.signal.aborted) return;
        setState({
          data: undefined,
          error: error instanceof Error ? error : new Error(String(error)),
          loading: false,
        });
      },
    );
    return () => ctl.abort();
  }, [path]);
  return state;
}

/** The document title: "<page> — <site>". */
export function useTitle(title: string, site: string): void {
  useEffect(() => {
    document.title = title ? `${title} — ${site}` : site;
  }, [title, site]);
}

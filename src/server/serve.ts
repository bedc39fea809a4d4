import type { FastifyInstance } from 'fastify';
import type { Project } from '../project/types.js';
import { buildApp, type AppOptions } from './app.js';

export interface ServeOptions extends AppOptions {
  /** default 3000 */
  port?: number;
  /** default 127.0.0.1: only this machine; put a reverse proxy (TLS) in front for the outside world */
  host?: string;
  /** close gracefully on SIGINT and SIGTERM (default true) */
  signals?: boolean;
  /** after this long, connections still open are cut (default 10 s) */
  shutdownTimeoutMs?: number;
}

export interface RunningServer {
  app: FastifyInstance;
  /** where it listens, e.g. http://127.0.0.1:3000 */
  url: string;
  /** stop accepting, finish the requests in progress, close the warehouse version */
  close(reason?: string): Promise<void>;
  /** resolves when the server has closed (after a signal or close()) */
  closed: Promise<void>;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Start the server: listen, and on SIGINT/SIGTERM close gracefully — new connections are refused,
 * requests in progress finish, idle keep-alive connections close, then the read layer closes the
 * warehouse version. A second signal during shutdown ends the process the default way.
 */
export async function serve(project: Project, opts: ServeOptions = {}): Promise<RunningServer> {
  const app = await buildApp(project, opts);
  let url: string;
  try {
    url = await app.listen({ port: opts.port ?? 3000, host: opts.host ?? '127.0.0.1' });
  } catch (e) {
    await app.close();
    throw e;
  }
  if (!app.published.current)
    app.log.warn('no published warehouse version yet: /ready answers 503 until a build publishes one');

  let done: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (done = resolve));
  let closing: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals): void => void close(signal);
  const close = (reason = 'close'): Promise<void> => {
    closing ??= (async () => {
      app.log.info({ reason }, 'shutting down: finishing the requests in progress');
      const timer = setTimeout(() => {
        app.log.warn('shutdown is taking too long: closing the open connections');
        app.server.closeAllConnections();
      }, opts.shutdownTimeoutMs ?? 10_000);
      timer.unref();
      try {
        await app.close();
        app.log.info('stopped');
      } finally {
        clearTimeout(timer);
        for (const s of SIGNALS) process.off(s, onSignal);
        done();
      }
    })();
    return closing;
  };
  if (opts.signals !== false) for (const s of SIGNALS) process.once(s, onSignal);
  return { app, url, close, closed };
}

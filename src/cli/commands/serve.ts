import { Option, type Command } from 'commander';
import { serve } from '../../server/serve.js';
import { CliError, EXIT } from '../errors.js';
import { requireProject } from '../project.js';

export interface ServeCommandOptions {
  project: string;
  port: string;
  host: string;
  logLevel: string;
  publicUrl?: string;
  trustProxy?: boolean;
  cors?: string;
  /** the built web app's folder; false with --no-web (the API alone) */
  web?: string | boolean;
}

/** `pakhuis serve`: the web app and the HTTP API until SIGINT/SIGTERM. */
export async function runServe(o: ServeCommandOptions): Promise<void> {
  const port = Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`--port must be a port number (0–65535), not "${o.port}"`, EXIT.usage);
  if (o.publicUrl && !/^https?:\/\/[^/]+$/.test(o.publicUrl.replace(/\/+$/, '')))
    throw new CliError(
      `--public-url must be an origin like https://data.denhelder.nl, not "${o.publicUrl}"`,
      EXIT.usage,
    );
  const server = await serve(requireProject(o.project), {
    port,
    host: o.host,
    logLevel: o.logLevel,
    ...(o.publicUrl ? { publicUrl: o.publicUrl } : {}),
    ...(o.trustProxy ? { trustProxy: true } : {}),
    ...(o.cors ? { corsOrigins: o.cors.split(',').map((s) => s.trim()) } : {}),
    ...(o.web === false ? { webRoot: false as const } : typeof o.web === 'string' ? { webRoot: o.web } : {}),
  }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES')
      throw new CliError(`cannot listen on ${o.host}:${port}: ${e.message}`, EXIT.failure);
    throw e;
  });
  await server.closed;
}

/** The `serve` command, registered by src/cli/main.ts. */
export function registerServe(program: Command, projectOption: () => Option): void {
  program
    .command('serve')
    .description(
      'serve the published version: the public portal at /, the internal app at /app, the API at /api/v1 (OpenAPI at /api/v1/openapi.json), the OData feed at /api/v1/odata, /health and /ready',
    )
    .addOption(projectOption())
    .option('--port <port>', 'port to listen on', '3000')
    .option('--host <host>', 'address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('--public-url <origin>', 'the public origin for links, e.g. https://data.denhelder.nl')
    .option('--trust-proxy', 'trust X-Forwarded-* headers (behind a reverse proxy)')
    .option('--web <folder>', 'the built web app (npm run build:web; default dist/web)')
    .option('--no-web', 'serve the API only, without the portal and the internal app')
    .option('--cors <origins>', 'comma-separated origins that may read the API from a browser (* for any)')
    .addOption(
      new Option('--log-level <level>', 'log level (JSON lines on stdout)')
        .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
        .default('info'),
    )
    .action((o: ServeCommandOptions) => runServe(o));
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measure } from '../../bench/serve.js';
import { serve, type RunningServer } from '../../src/server/serve.js';
import { builtServerProject } from './fixture.js';

describe('bench/serve.ts', () => {
  let server: RunningServer;

  beforeAll(async () => {
    const { project } = await builtServerProject();
    server = await serve(project, { port: 0, logLevel: 'silent', signals: false });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('measures requests/s and latency percentiles with autocannon (a one-second run)', async () => {
    const url = `${server.url}/api/v1/indicators/aantal_inwoners/values`;
    const r = await measure(url, { connections: 4, seconds: 1 });
    expect(r.requests).toBeGreaterThan(100);
    expect(r.non2xx).toBe(0);
    expect(r.errors).toBe(0);
    expect(r.latencyMs.p50).toBeLessThanOrEqual(r.latencyMs.p95);
    expect(r.latencyMs.p95).toBeLessThanOrEqual(r.latencyMs.p99);
    expect(r.latencyMs.p99).toBeLessThanOrEqual(r.latencyMs.max);
  });
});

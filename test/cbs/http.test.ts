import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CbsError, CbsShapeError } from '../../src/cbs/errors.js';
import type { RetryInfo } from '../../src/cbs/http.js';
import { CbsV3 } from '../../src/cbs/v3.js';
import { FAST, KWB_2024, useFakeCbs } from './fixtures.js';

const INFOS = `/ODataApi/odata/${KWB_2024}/TableInfos`;
const UNAVAILABLE = '{"odata.error":{"code":"","message":{"lang":"en-US","value":"Service Unavailable"}}}';

describe('CBS over HTTP: retries, timeouts and errors', () => {
  const cbs = useFakeCbs();
  const client = (options: Partial<ConstructorParameters<typeof CbsV3>[0]> = {}) =>
    new CbsV3({ baseUrl: cbs().url, ...FAST, ...options });
  /** The hits on `path` while `run` runs. */
  async function counting<T>(
    path: string,
    run: () => Promise<T>,
  ): Promise<{ hits: number; result: T | unknown }> {
    const before = cbs().hits(path);
    const result = await run().catch((error: unknown) => error);
    return { hits: cbs().hits(path) - before, result };
  }

  it('retries a 503 and then reads the answer', async () => {
    cbs().script(INFOS, [{ status: 503, body: UNAVAILABLE }]);
    const retries: RetryInfo[] = [];
    const { hits, result } = await counting(INFOS, () =>
      client({ onRetry: (r) => retries.push(r) }).tableInfos(KWB_2024),
    );
    expect(result).toMatchObject({ Identifier: '85984NED', Period: '2024' });
    expect(hits).toBe(2);
    expect(retries).toMatchObject([{ attempt: 1, reason: 'HTTP 503' }]);
  });

  it('gives up on a persistent 503 after the configured attempts, saying so', async () => {
    cbs().script(
      INFOS,
      Array.from({ length: 4 }, () => ({ status: 503, body: UNAVAILABLE })),
    );
    const { hits, result } = await counting(INFOS, () => client({ maxAttempts: 4 }).tableInfos(KWB_2024));
    expect(hits).toBe(4);
    const error = result as CbsError;
    expect(error).toBeInstanceOf(CbsError);
    expect(error.status).toBe(503);
    expect(error.url).toContain(INFOS);
    expect(error.message).toContain(`GET ${cbs().url}${INFOS}`);
    expect(error.message).toContain(
      'HTTP 503 Service Unavailable (after 4 attempts); CBS says: Service Unavailable',
    );
    expect(error.fix).toBe('CBS StatLine is unavailable or overloaded: try again later');
  });

  it('honours Retry-After on a 429', async () => {
    cbs().script(INFOS, [{ status: 429, headers: { 'retry-after': '1' } }]);
    const retries: RetryInfo[] = [];
    const started = Date.now();
    const info = await client({ maxDelayMs: 5000, onRetry: (r) => retries.push(r) }).tableInfos(KWB_2024);
    expect(info.Identifier).toBe('85984NED');
    expect(retries).toMatchObject([{ reason: 'HTTP 429', delayMs: 1000 }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('a persistent 429 says CBS is rate limiting', async () => {
    cbs().script(INFOS, [
      { status: 429, headers: { 'retry-after': '0' } },
      { status: 429, headers: { 'retry-after': '0' } },
    ]);
    const error = await client({ maxAttempts: 2 })
      .tableInfos(KWB_2024)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 429,
      fix: expect.stringMatching(/^CBS is rate limiting: try again later/),
    });
  });

  it('a response slower than the timeout is abandoned and tried again', async () => {
    cbs().script(INFOS, [{ delayMs: 400, body: '{"value":[]}' }]);
    const retries: RetryInfo[] = [];
    const { hits, result } = await counting(INFOS, () =>
      client({ timeoutMs: 100, onRetry: (r) => retries.push(r) }).tableInfos(KWB_2024),
    );
    expect(result).toMatchObject({ Identifier: '85984NED' });
    expect(hits).toBe(2);
    expect(retries[0]?.reason).toBe('no complete response within 100 ms');
  });

  it('no server at all: retried, then an error with a fix', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const retries: RetryInfo[] = [];
    const error = (await new CbsV3({
      baseUrl: `http://127.0.0.1:${port}`,
      ...FAST,
      onRetry: (r) => retries.push(r),
    })
      .tableInfos(KWB_2024)
      .catch((e: unknown) => e)) as CbsError;
    expect(error).toBeInstanceOf(CbsError);
    expect(error.message).toMatch(/failed after 3 attempts: no response \(ECONNREFUSED\)$/);
    expect(error.fix).toMatch(/check the network connection/);
    expect(retries).toHaveLength(2);
  });

  it('404 is not retried and names the table', async () => {
    const path = '/ODataApi/odata/85984NEX/TableInfos';
    const { hits, result } = await counting(path, () => client().tableInfos('85984NEX'));
    expect(hits).toBe(1);
    const error = result as CbsError;
    expect(error).toBeInstanceOf(CbsError);
    expect(error.status).toBe(404);
    expect(error.message).toContain(`${path}?$format=json failed: HTTP 404 Not Found`);
    expect(error.message).toContain("CBS says: Resource not found for the segment '85984NEX'.");
    expect(error.fix).toMatch(/^check the table id "85984NEX" \(e\.g\. 85984NED/);
  });

  it('malformed JSON is a shape error naming the URL, not retried', async () => {
    cbs().script(INFOS, [{ body: '{"odata.metadata":"x","value":[{"ID":0,' }]);
    const { hits, result } = await counting(INFOS, () => client().tableInfos(KWB_2024));
    expect(hits).toBe(1);
    expect(result).toBeInstanceOf(CbsShapeError);
    expect((result as CbsShapeError).message).toMatch(/TableInfos\?\$format=json did not return JSON \(/);
  });

  it('a body without `value` is a shape error that says what is missing', async () => {
    cbs().script(INFOS, [
      { body: '{"odata.metadata":"https://opendata.cbs.nl/ODataApi/OData/85984NED/$metadata"}' },
    ]);
    const error = (await client()
      .tableInfos(KWB_2024)
      .catch((e: unknown) => e)) as CbsShapeError;
    expect(error).toBeInstanceOf(CbsShapeError);
    expect(error.message).toContain('did not return a collection in the shape OData promises: value: ');
    expect(error.url).toContain(INFOS);
  });

  it('a row without the fields OData promises is a shape error naming the field', async () => {
    const path = `/ODataApi/odata/${KWB_2024}/DataProperties`;
    cbs().script(path, [{ body: '{"value":[{"ID":0,"Type":"Topic","Title":"Aantal inwoners"}]}' }]);
    const error = await client()
      .dataProperties(KWB_2024)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CbsShapeError);
    expect((error as Error).message).toContain(
      'did not return DataProperties in the shape OData promises: 0.Key: ',
    );
  });
});

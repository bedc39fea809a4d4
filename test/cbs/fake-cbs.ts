/**
 * A local CBS StatLine over real HTTP (node:http on port 0): OData v3 (`/ODataApi/odata/<table>/…`,
 * and `/ODataFeed/odata/<table>/…` paged with `odata.nextLink`) and OData v4 (`/CBS/<table>/…`,
 * paged with `@odata.nextLink`), with the subset of `$filter` and `$select` that the client sends.
 * Like CBS, it compares codes with their padding. Tests can count hits per path and queue canned
 * responses (503, 429, broken JSON, a slow answer) in front of the normal ones.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Json = Record<string, unknown>;

export interface V3Table {
  serviceDocument: Json;
  entities: Record<string, Json[]>;
  /** column names of the data sets, for `$select` */
  columns: string[];
}

export interface V4Table {
  serviceDocument: Json;
  entities: Record<string, Json[]>;
  properties: Json;
}

export interface Canned {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** answer only after this long */
  delayMs?: number;
}

export interface FakeCbs {
  url: string;
  /** requests per path (without query) */
  hits(path: string): number;
  /** every request URL (path and query), in order */
  requests: string[];
  /** answer the next requests of `path` with these, one each, before answering normally */
  script(path: string, responses: Canned[]): void;
  close(): Promise<void>;
}

export async function startFakeCbs(options: {
  v3?: Record<string, V3Table>;
  v4?: Record<string, V4Table>;
  /** rows per page of ODataFeed and of v4 collections */
  pageSize: number;
}): Promise<FakeCbs> {
  const hits = new Map<string, number>();
  const scripts = new Map<string, Canned[]>();
  const requests: string[] = [];
  let origin = '';

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    requests.push(`${url.pathname}${url.search}`);
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    const canned = scripts.get(url.pathname)?.shift();
    if (canned) {
      setTimeout(
        () => send(res, canned.status ?? 200, canned.body ?? '', canned.headers),
        canned.delayMs ?? 0,
      );
      return;
    }
    try {
      route(req, res, url);
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      sendJson(res, 400, { 'odata.error': { code: '', message: { lang: 'en-US', value: error.message } } });
    }
  });

  function route(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const v3 = /^\/(ODataApi|ODataFeed)\/odata\/([^/]+)\/?([^/]*)$/.exec(url.pathname);
    const v4 = /^\/CBS\/([^/]+)\/?([^/]*)$/.exec(url.pathname);
    if (v3) return v3Route(res, url, v3[1] as string, decodeURIComponent(v3[2] as string), v3[3] as string);
    if (v4) return v4Route(res, url, decodeURIComponent(v4[1] as string), v4[2] as string);
    notFound(res, req.url ?? '');
  }

  function v3Route(res: ServerResponse, url: URL, service: string, tableId: string, entity: string) {
    const table = options.v3?.[tableId];
    if (!table) return notFound(res, tableId);
    if (entity === '') return sendJson(res, 200, table.serviceDocument);
    const rows = table.entities[entity];
    if (!rows) return notFound(res, entity);
    // ODataFeed answers Atom unless asked for JSON (cbsodataR and cbsodata add $format=json).
    if (service === 'ODataFeed' && url.searchParams.get('$format') !== 'json') {
      return send(res, 200, '<?xml version="1.0" encoding="utf-8"?><feed/>', {
        'content-type': 'application/atom+xml',
      });
    }
    const selected = select(
      filter(rows, url.searchParams.get('$filter')),
      url.searchParams.get('$select'),
      table,
    );
    const page = service === 'ODataFeed' ? paginate(selected, url, 'odata.nextLink') : { value: selected };
    sendJson(res, 200, {
      'odata.metadata': `${origin}/${service}/odata/${tableId}/$metadata#Cbs.OData.${entity}`,
      ...page,
    });
  }

  function v4Route(res: ServerResponse, url: URL, tableId: string, entity: string) {
    const table = options.v4?.[tableId];
    if (!table) return notFound(res, tableId);
    const context = `${origin}/CBS/${tableId}/$metadata#${entity}`;
    if (entity === '') return sendJson(res, 200, table.serviceDocument);
    if (entity === 'Properties')
      return sendJson(res, 200, { '@odata.context': context, ...table.properties });
    const rows = table.entities[entity];
    if (!rows) return notFound(res, entity);
    sendJson(res, 200, {
      '@odata.context': context,
      ...paginate(filter(rows, url.searchParams.get('$filter')), url, '@odata.nextLink'),
    });
  }

  function paginate(rows: Json[], url: URL, nextLinkKey: string): Json {
    const skip = Number(url.searchParams.get('$skip') ?? 0);
    const value = rows.slice(skip, skip + options.pageSize);
    if (skip + options.pageSize >= rows.length) return { value };
    const next = new URL(url.href);
    next.searchParams.set('$skip', String(skip + options.pageSize));
    return { value, [nextLinkKey]: next.href };
  }

  function notFound(res: ServerResponse, segment: string) {
    sendJson(res, 404, {
      'odata.error': {
        code: '',
        message: { lang: 'en-US', value: `Resource not found for the segment '${segment}'.` },
      },
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    hits: (path) => hits.get(path) ?? 0,
    requests,
    script: (path, responses) => scripts.set(path, [...(scripts.get(path) ?? []), ...responses]),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

class BadRequest extends Error {}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  send(res, status, JSON.stringify(body));
}

function select(rows: Json[], $select: string | null, table: V3Table): Json[] {
  if (!$select) return rows;
  const columns = $select.split(',').map((c) => c.trim());
  const unknown = columns.find((c) => !table.columns.includes(c));
  if (unknown) {
    throw new BadRequest(`Could not find a property named '${unknown}' on type 'Cbs.OData.TypedDataSet'.`);
  }
  return rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null])));
}

function filter(rows: Json[], $filter: string | null): Json[] {
  if (!$filter) return rows;
  const predicate = parseFilter($filter);
  return rows.filter(predicate);
}

type Predicate = (row: Json) => boolean;
type Token = { kind: 'paren' | 'comma' | 'string' | 'name'; text: string };

/** `or`/`and`/parentheses over `Col eq 'v'`, `substringof('v', Col)`, `contains(Col,'v')`, `startswith(Col,'v')`. */
function parseFilter(text: string): Predicate {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const take = (kind: Token['kind'], word?: string): Token => {
    const token = tokens[at++];
    if (!token || token.kind !== kind || (word !== undefined && token.text !== word)) {
      throw new BadRequest(`Syntax error at position ${at} in '${text}'.`);
    }
    return token;
  };
  const value = (row: Json, name: string) => String(row[name] ?? '');

  function or(): Predicate {
    const terms = [and()];
    while (peek()?.text === 'or') {
      take('name', 'or');
      terms.push(and());
    }
    return (row) => terms.some((t) => t(row));
  }
  function and(): Predicate {
    const terms = [primary()];
    while (peek()?.text === 'and') {
      take('name', 'and');
      terms.push(primary());
    }
    return (row) => terms.every((t) => t(row));
  }
  function primary(): Predicate {
    if (peek()?.text === '(') {
      take('paren', '(');
      const inner = or();
      take('paren', ')');
      return inner;
    }
    const name = take('name').text;
    if (name === 'substringof' || name === 'contains' || name === 'startswith') {
      // substringof('v', Col) has its arguments the other way round from contains(Col,'v').
      take('paren', '(');
      let col: string;
      let part: string;
      if (name === 'substringof') {
        part = take('string').text;
        take('comma');
        col = take('name').text;
      } else {
        col = take('name').text;
        take('comma');
        part = take('string').text;
      }
      take('paren', ')');
      return name === 'startswith'
        ? (row) => value(row, col).startsWith(part)
        : (row) => value(row, col).includes(part);
    }
    take('name', 'eq');
    const literal = take('string').text;
    return (row) => value(row, name) === literal;
  }

  const predicate = or();
  if (at !== tokens.length) throw new BadRequest(`Unexpected '${tokens[at]?.text}' in '${text}'.`);
  return predicate;
}

function tokenize(text: string): Token[] {
  const pattern = /\s*(?:([()])|(,)|'((?:[^']|'')*)'|([A-Za-z_][A-Za-z0-9_]*))/y;
  const tokens: Token[] = [];
  while (pattern.lastIndex < text.trimEnd().length) {
    const start = pattern.lastIndex;
    const m = pattern.exec(text);
    if (!m) throw new BadRequest(`Syntax error at position ${start} in '${text}'.`);
    if (m[1]) tokens.push({ kind: 'paren', text: m[1] });
    else if (m[2]) tokens.push({ kind: 'comma', text: ',' });
    else if (m[3] !== undefined) tokens.push({ kind: 'string', text: m[3].replace(/''/g, "'") });
    else tokens.push({ kind: 'name', text: m[4] as string });
  }
  return tokens;
}

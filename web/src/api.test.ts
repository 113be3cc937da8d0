// @vitest-environment node
// The api module against a real HTTP server on 127.0.0.1: what goes over the wire, what comes back.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient, detectSkew, NetworkError, type Skew, withDeploymentParam } from './api';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
/** What the server answers next: status, x-deployment-id (null = none), body. */
let answer: { status: number; version: string | null; body: unknown } = { status: 200, version: 'v1', body: {} };

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (answer.version !== null) {
        headers['x-deployment-id'] = answer.version;
      }
      res.writeHead(answer.status, headers);
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  seen.length = 0;
  answer = { status: 200, version: 'v1', body: {} };
});

function client(buildId = 'v1') {
  const skews: Skew[] = [];
  const versions: string[] = [];
  const api = new ApiClient({
    buildId, baseUrl: base, onSkew: (s) => skews.push(s), onBackendVersion: (v) => versions.push(v),
  });
  return { api, skews, versions };
}

describe('every call carries the build id', () => {
  it('sends x-deployment-id on GET, POST and calls that fail', async () => {
    const { api } = client('2026.11.20-1');
    answer = { status: 200, version: '2026.11.20-1', body: { items: [] } };
    await api.get('/api/items');
    answer = { status: 201, version: '2026.11.20-1', body: {} };
    await api.post('/api/orders', { itemId: 'paper-filters', quantity: 1 });
    answer = { status: 500, version: '2026.11.20-1', body: { title: 'boom' } };
    await api.request('/api/orders/ord-1', { method: 'DELETE' });
    answer = { status: 410, version: null, body: { error: 'version_expired' } };
    await api.get('/api/items');

    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /api/items', 'POST /api/orders', 'DELETE /api/orders/ord-1', 'GET /api/items',
    ]);
    expect(seen.map((s) => s.headers['x-deployment-id'])).toEqual(Array(4).fill('2026.11.20-1'));
  });

  it('sends JSON bodies as JSON and never a cookie', async () => {
    const { api } = client('v1');
    await api.post('/api/orders', { itemId: 'burr-grinder', quantity: 2 });

    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ itemId: 'burr-grinder', quantity: 2 });
    expect(seen[0]?.headers.cookie).toBeUndefined();
  });

  it('puts dpl on stream URLs, keeping other parameters', () => {
    const { api } = client('v7');
    expect(api.streamUrl('/api/stock/stream?sku=a')).toBe(`${base}/api/stock/stream?sku=a&dpl=v7`);
    expect(withDeploymentParam('/x?dpl=old&y=1#frag', 'v2')).toBe('/x?dpl=v2&y=1#frag');
    expect(withDeploymentParam('wss://h/ws', 'a b')).toBe('wss://h/ws?dpl=a+b');
  });
});

describe('skew is reported from answers', () => {
  it('reports a 410 as expired, with the live version from its body', async () => {
    const { api, skews } = client('v1');
    answer = { status: 410, version: null, body: { error: 'version_expired', message: 'This version of shop is no longer available.', live: 'v2' } };

    const response = await api.get('/api/items');

    expect(response.status).toBe(410);
    expect(skews).toEqual([{ kind: 'expired', live: 'v2', message: 'This version of shop is no longer available.' }]);
  });

  it('reports an answer from another version as a mismatch and still returns it', async () => {
    const { api, skews, versions } = client('v1');
    answer = { status: 422, version: 'v2', body: { detail: 'does not match API schema v2' } };

    const response = await api.post('/api/orders', { itemId: 'x', quantity: 1 });

    expect(skews).toEqual([{ kind: 'mismatch', backendVersion: 'v2' }]);
    expect(versions).toEqual(['v2']);
    expect(response.body).toEqual({ detail: 'does not match API schema v2' });
  });

  it('reports nothing for answers from its own version, errors included', async () => {
    const { api, skews, versions } = client('v1');
    await api.get('/api/items');
    answer = { status: 404, version: 'v1', body: {} };
    await api.get('/api/nothing');

    expect(skews).toEqual([]);
    expect(versions).toEqual(['v1', 'v1']);
  });

  it('reports nothing when the answer names no version', async () => {
    const { api, skews } = client('v1');
    answer = { status: 503, version: null, body: { error: 'no_live_version' } };
    await api.get('/api/items');

    expect(skews).toEqual([]);
  });

  it('410 without a readable body still counts as expired', () => {
    expect(detectSkew('v1', 410, null, 'gone')).toEqual({ kind: 'expired', live: null, message: 'This version is no longer available.' });
  });
});

describe('no answer at all', () => {
  it('throws a NetworkError naming the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const api = new ApiClient({ buildId: 'v1', baseUrl: `http://127.0.0.1:${port}` });

    await expect(api.get('/api/items')).rejects.toBeInstanceOf(NetworkError);
    await expect(api.get('/api/items')).rejects.toThrow(`http://127.0.0.1:${port}/api/items`);
  });
});

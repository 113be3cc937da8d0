// Stand-ins for the status API's transport in tests: the fetch and the SSE stream. The feed and the
// page under test are real.
import type { StreamLike } from './statusFeed';
import type { AppSummary, VersionView } from './statusTypes';

export const SHOP: AppSummary = { name: 'shop', liveVersion: 'v1', canary: null, versionCount: 1 };
export const V1: VersionView = {
  app: 'shop', version: 'v1', phase: 'Live', live: true, canaryWeight: null, revoked: false,
  desiredCount: 1, runningCount: 1, createdAt: '2026-11-25T11:00:00Z', expiresAt: null, conditions: [],
};

/** A status API in memory: answers like the controller's, or fails on demand. */
export class FakeStatusApi {
  apps: AppSummary[] = [SHOP];
  versions: Record<string, VersionView[]> = { shop: [V1] };
  failure: 'none' | 'network' | 'problem' = 'none';
  readonly paths: string[] = [];

  readonly fetch: typeof fetch = async (input) => {
    const path = String(input).replace('/_skewless/api/v1', '');
    this.paths.push(path);
    if (this.failure === 'network') {
      throw new TypeError('Failed to fetch');
    }
    if (this.failure === 'problem') {
      return json(503, { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'store not reachable' });
    }
    if (path === '/apps') {
      return json(200, { items: this.apps });
    }
    const match = /^\/apps\/([^/]+)\/versions$/.exec(path);
    if (match?.[1]) {
      return json(200, { items: this.versions[decodeURIComponent(match[1])] ?? [] });
    }
    return json(404, { title: 'Not Found', status: 404 });
  };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A stream the test drives: open it, send named events, break it. */
export class FakeStream implements StreamLike {
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private readonly listeners = new Map<string, ((event: MessageEvent) => void)[]>();

  constructor(readonly url: string) {}

  addEventListener(type: string, listener: (event: MessageEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
    this.readyState = 2;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  fail(closedForGood = false): void {
    this.readyState = closedForGood ? 2 : 0;
    this.onerror?.(new Event('error'));
  }

  send(type: string, data: unknown): void {
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    this.listeners.get(type)?.forEach((listener) => listener(new MessageEvent(type, { data: text })));
  }
}

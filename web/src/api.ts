// The one way this client talks to its backend. Every call carries `x-deployment-id: <build id>` (a
// header set from JS, so it is per tab: two tabs on two versions each pin their own; a cookie would
// be shared by every tab). Every answer is checked for skew: a 410 means this build's version is gone;
// an `x-deployment-id` response header naming another version means a different backend answered.
// Either way the caller's `onSkew` is told, once per answer, and the answer is still returned.

export const DEPLOYMENT_HEADER = 'x-deployment-id';
/** The query-parameter carrier, for URLs that cannot carry headers (EventSource, WebSocket). */
export const DEPLOYMENT_QUERY = 'dpl';

export type Skew =
  /** The router answered 410: this version has expired. `live` is the version to reload into, if any. */
  | { kind: 'expired'; live: string | null; message: string }
  /** A backend of another version answered. */
  | { kind: 'mismatch'; backendVersion: string };

export interface ApiResponse<T = unknown> {
  status: number;
  ok: boolean;
  /** The `x-deployment-id` of the answer; null when absent (e.g. the router's own responses). */
  backendVersion: string | null;
  /** The parsed JSON body, the text for non-JSON bodies, null when empty or unreadable. */
  body: T | null;
}

/** The request never got an HTTP answer (network down, router gone, aborted). */
export class NetworkError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`no answer from ${url}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'NetworkError';
  }
}

export interface ApiClientOptions {
  buildId: string;
  /** Prefix of every path (`''` = same origin). */
  baseUrl?: string;
  fetchImpl?: typeof fetch;
  /** Called for every answer that shows skew. */
  onSkew?: (skew: Skew) => void;
  /** Called with the version of every answer that names one. */
  onBackendVersion?: (version: string) => void;
}

export interface RequestOptions {
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
}

export class ApiClient {
  readonly buildId: string;
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly onSkew: (skew: Skew) => void;
  private readonly onBackendVersion: (version: string) => void;

  constructor(options: ApiClientOptions) {
    this.buildId = options.buildId;
    this.baseUrl = options.baseUrl ?? '';
    this.fetchImpl = options.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
    this.onSkew = options.onSkew ?? (() => {});
    this.onBackendVersion = options.onBackendVersion ?? (() => {});
  }

  get<T>(path: string, signal?: AbortSignal): Promise<ApiResponse<T>> {
    return this.request<T>(path, { method: 'GET', signal });
  }

  post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<ApiResponse<T>> {
    return this.request<T>(path, { method: 'POST', body, signal });
  }

  async request<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const url = this.baseUrl + path;
    const headers = new Headers({ Accept: 'application/json', [DEPLOYMENT_HEADER]: this.buildId });
    let body: string | undefined;
    if (options.body !== undefined) {
      headers.set('Content-Type', 'application/json');
      body = JSON.stringify(options.body);
    }
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: options.method ?? 'GET',
        headers,
        body,
        signal: options.signal,
        // Never let an HTTP cache hand one version's answer to another version's client.
        cache: 'no-store',
      });
    } catch (error) {
      throw new NetworkError(url, error);
    }
    const parsed = await readBody(response);
    const backendVersion = response.headers.get(DEPLOYMENT_HEADER);
    if (backendVersion !== null) {
      this.onBackendVersion(backendVersion);
    }
    const skew = detectSkew(this.buildId, response.status, backendVersion, parsed);
    if (skew !== null) {
      this.onSkew(skew);
    }
    return { status: response.status, ok: response.ok, backendVersion, body: parsed as T | null };
  }

  /** `path` with `dpl=<build id>` added, for EventSource and WebSocket URLs (they cannot carry headers). */
  streamUrl(path: string): string {
    return withDeploymentParam(this.baseUrl + path, this.buildId);
  }
}

/** What an answer says about skew between this build and the backend, if anything. */
export function detectSkew(buildId: string, status: number, backendVersion: string | null, body: unknown): Skew | null {
  if (status === 410) {
    const record = isRecord(body) ? body : {};
    return {
      kind: 'expired',
      live: typeof record.live === 'string' ? record.live : null,
      message: typeof record.message === 'string' ? record.message : 'This version is no longer available.',
    };
  }
  if (backendVersion !== null && backendVersion !== buildId) {
    return { kind: 'mismatch', backendVersion };
  }
  return null;
}

/** Adds (or replaces) `dpl=<buildId>` in a relative or absolute URL, keeping its other parameters. */
export function withDeploymentParam(url: string, buildId: string): string {
  const hashAt = url.indexOf('#');
  const hash = hashAt >= 0 ? url.slice(hashAt) : '';
  const noHash = hashAt >= 0 ? url.slice(0, hashAt) : url;
  const queryAt = noHash.indexOf('?');
  const base = queryAt >= 0 ? noHash.slice(0, queryAt) : noHash;
  const params = new URLSearchParams(queryAt >= 0 ? noHash.slice(queryAt + 1) : '');
  params.set(DEPLOYMENT_QUERY, buildId);
  return `${base}?${params.toString()}${hash}`;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (text === '') {
    return null;
  }
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  }
  return text;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

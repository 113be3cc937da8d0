// Keeps the status page's picture of every app and version current: a snapshot from the status API,
// then live updates from its SSE stream, and polling whenever the stream is not open. An unreachable
// API never throws into the page: the last data stays, with the error beside it, and polling retries.

import { withDeploymentParam } from './api';
import type { AppSummary, StatusEvent, VersionView } from './statusTypes';

export interface AppStatus {
  summary: AppSummary;
  versions: VersionView[];
}

export type Connection = 'connecting' | 'streaming' | 'polling' | 'unreachable';

export interface FeedState {
  /** Sorted by app name. */
  apps: AppStatus[];
  /** Newest first, at most {@link MAX_EVENTS}. */
  events: StatusEvent[];
  connection: Connection;
  error: string | null;
  /** When data last arrived (ms since epoch). */
  lastUpdated: number | null;
}

/** The part of EventSource the feed uses, so tests and other transports can stand in. */
export interface StreamLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
}

export interface StatusFeedOptions {
  baseUrl: string;
  /** Carried as `dpl` on the stream URL, like every EventSource this client opens. */
  buildId: string;
  fetchImpl?: typeof fetch;
  /** Opens the SSE stream; null when streaming is impossible (then the feed only polls). */
  openStream?: (url: string) => StreamLike | null;
  pollMs?: number;
  now?: () => number;
}

export const MAX_EVENTS = 20;
export const DEFAULT_POLL_MS = 5000;
const STREAM_CLOSED = 2;

export class StatusFeed {
  private state: FeedState = { apps: [], events: [], connection: 'connecting', error: null, lastUpdated: null };
  private readonly listeners = new Set<() => void>();
  private readonly baseUrl: string;
  private readonly buildId: string;
  private readonly fetchImpl: typeof fetch;
  private readonly openStream: (url: string) => StreamLike | null;
  private readonly pollMs: number;
  private readonly now: () => number;
  private stream: StreamLike | null = null;
  private streamOpen = false;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private refreshFailed = false;
  private stopped = true;

  constructor(options: StatusFeedOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.buildId = options.buildId;
    this.fetchImpl = options.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
    this.openStream = options.openStream ?? defaultOpenStream;
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.now = options.now ?? Date.now;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): FeedState => this.state;

  get streamUrl(): string {
    return withDeploymentParam(`${this.baseUrl}/stream`, this.buildId);
  }

  /** Loads a snapshot and opens the stream; polls until the stream is open. */
  start(): void {
    if (!this.stopped) {
      return;
    }
    this.stopped = false;
    this.startPolling();
    void this.refresh();
    this.connectStream();
  }

  stop(): void {
    this.stopped = true;
    this.stopPolling();
    this.stream?.close();
    this.stream = null;
    this.streamOpen = false;
  }

  /** Reads every app and its versions. Never rejects: a failure is recorded in the state. */
  async refresh(): Promise<void> {
    try {
      const apps = await this.getJson<{ items?: AppSummary[] }>('/apps');
      const summaries = Array.isArray(apps.items) ? apps.items : [];
      const statuses = await Promise.all(summaries.map(async (summary) => {
        const versions = await this.getJson<{ items?: VersionView[] }>(`/apps/${encodeURIComponent(summary.name)}/versions`);
        return { summary, versions: Array.isArray(versions.items) ? versions.items : [] };
      }));
      this.refreshFailed = false;
      this.update({ apps: sortApps(statuses), error: null, lastUpdated: this.now() });
    } catch (error) {
      this.refreshFailed = true;
      this.update({
        error: `Status API unreachable at ${this.baseUrl}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }

  private async getJson<T>(path: string): Promise<T> {
    const response = await this.fetchImpl(this.baseUrl + path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (!response.ok) {
      let detail = '';
      try {
        const body = (await response.json()) as { detail?: string; title?: string };
        detail = body.detail ?? body.title ?? '';
      } catch {
        // no problem body: the status line says enough
      }
      throw new Error(`GET ${path} answered ${response.status}${detail ? `: ${detail}` : ''}`);
    }
    return (await response.json()) as T;
  }

  private connectStream(): void {
    let stream: StreamLike | null;
    try {
      stream = this.openStream(this.streamUrl);
    } catch {
      stream = null;
    }
    this.stream = stream;
    if (stream === null) {
      this.update({});
      return;
    }
    stream.onopen = () => {
      this.streamOpen = true;
      this.stopPolling();
      // Catch up on whatever changed while the stream was down.
      void this.refresh();
      this.update({});
    };
    stream.onerror = () => {
      this.streamOpen = false;
      this.startPolling();
      this.update({});
    };
    stream.addEventListener('app', (event) => this.onApp(event));
    stream.addEventListener('version', (event) => this.onVersion(event));
    stream.addEventListener('event', (event) => this.onEvent(event));
  }

  private onApp(event: MessageEvent): void {
    const summary = parseData<AppSummary>(event);
    if (!summary || typeof summary.name !== 'string') {
      return;
    }
    const known = this.state.apps.find((a) => a.summary.name === summary.name);
    const apps = known
      ? this.state.apps.map((a) => (a.summary.name === summary.name ? { ...a, summary } : a))
      : [...this.state.apps, { summary, versions: [] }];
    this.update({ apps: sortApps(apps), lastUpdated: this.now() });
    if (!known) {
      void this.refresh();
    }
  }

  private onVersion(event: MessageEvent): void {
    const version = parseData<VersionView>(event);
    if (!version || typeof version.app !== 'string' || typeof version.version !== 'string') {
      return;
    }
    const known = this.state.apps.find((a) => a.summary.name === version.app);
    const upsert = (versions: VersionView[]) => versions.some((v) => v.version === version.version)
      ? versions.map((v) => (v.version === version.version ? version : v))
      : [version, ...versions];
    const apps = known
      ? this.state.apps.map((a) => (a.summary.name === version.app ? { ...a, versions: upsert(a.versions) } : a))
      : [...this.state.apps, { summary: { name: version.app, liveVersion: null, canary: null }, versions: [version] }];
    this.update({ apps: sortApps(apps), lastUpdated: this.now() });
  }

  private onEvent(event: MessageEvent): void {
    const item = parseData<StatusEvent>(event);
    if (!item || typeof item.action !== 'string') {
      return;
    }
    this.update({ events: [item, ...this.state.events].slice(0, MAX_EVENTS), lastUpdated: this.now() });
  }

  private startPolling(): void {
    if (this.pollTimer !== null || this.stopped) {
      return;
    }
    this.pollTimer = setInterval(() => {
      void this.refresh();
      // A stream the server closed for good (not 200, wrong type) is not retried by EventSource itself.
      if (this.stream === null || this.stream.readyState === STREAM_CLOSED) {
        this.stream?.close();
        this.connectStream();
      }
    }, this.pollMs);
  }

  private stopPolling(): void {
    if (this.pollTimer !== null) {
      clearInterval(this.pollTimer);
      this.pollTimer = null;
    }
  }

  private update(patch: Partial<FeedState>): void {
    const connection: Connection = this.streamOpen
      ? 'streaming'
      : this.refreshFailed
        ? 'unreachable'
        : this.pollTimer !== null
          ? 'polling'
          : 'connecting';
    this.state = { ...this.state, ...patch, connection };
    this.listeners.forEach((listener) => listener());
  }
}

function defaultOpenStream(url: string): StreamLike | null {
  return typeof EventSource === 'undefined' ? null : new EventSource(url);
}

function parseData<T>(event: MessageEvent): T | null {
  try {
    return typeof event.data === 'string' ? (JSON.parse(event.data) as T) : null;
  } catch {
    return null;
  }
}

function sortApps(apps: AppStatus[]): AppStatus[] {
  return [...apps].sort((a, b) => a.summary.name.localeCompare(b.summary.name));
}

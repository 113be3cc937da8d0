import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StatusFeed } from './statusFeed';
import { FakeStatusApi, FakeStream, SHOP, V1 } from './statusFakes';
import type { VersionView } from './statusTypes';

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

describe('StatusFeed', () => {
  let api: FakeStatusApi;
  let streams: FakeStream[];
  let feed: StatusFeed;

  beforeEach(() => {
    api = new FakeStatusApi();
    streams = [];
    feed = new StatusFeed({
      baseUrl: '/_skewless/api/v1/',
      buildId: 'v1',
      fetchImpl: api.fetch,
      openStream: (url) => {
        const stream = new FakeStream(url);
        streams.push(stream);
        return stream;
      },
      pollMs: 50,
    });
  });

  afterEach(() => feed.stop());

  it('loads every app with its versions and polls until the stream opens', async () => {
    feed.start();
    await settle();

    const state = feed.getSnapshot();
    expect(state.apps).toEqual([{ summary: SHOP, versions: [V1] }]);
    expect(state.connection).toBe('polling');
    expect(state.error).toBeNull();
    expect(api.paths.slice(0, 2)).toEqual(['/apps', '/apps/shop/versions']);
  });

  it('opens the stream with dpl, like every EventSource of this client', () => {
    feed.start();
    expect(streams[0]?.url).toBe('/_skewless/api/v1/stream?dpl=v1');
  });

  it('applies stream events: a new version, the app going live on it, and controller events', async () => {
    feed.start();
    await settle();
    streams[0]?.open();
    await settle();
    expect(feed.getSnapshot().connection).toBe('streaming');

    const v2: VersionView = { ...V1, version: 'v2', phase: 'Ready', live: false, createdAt: '2026-11-25T12:00:00Z' };
    streams[0]?.send('version', v2);
    streams[0]?.send('app', { ...SHOP, liveVersion: 'v2' });
    streams[0]?.send('version', { ...V1, phase: 'Superseded', live: false, expiresAt: '2026-11-25T12:10:00Z' });
    streams[0]?.send('event', { time: '2026-11-25T12:00:01Z', app: 'shop', version: 'v2', action: 'promote', outcome: 'done', message: '' });
    streams[0]?.send('version', '{not json');

    const state = feed.getSnapshot();
    expect(state.apps[0]?.summary.liveVersion).toBe('v2');
    expect(state.apps[0]?.versions.map((v) => [v.version, v.phase])).toEqual([['v2', 'Ready'], ['v1', 'Superseded']]);
    expect(state.events.map((e) => e.action)).toEqual(['promote']);
  });

  it('falls back to polling when the stream breaks, and reopens a stream closed for good', async () => {
    feed.start();
    streams[0]?.open();
    await settle();
    const before = api.paths.length;

    streams[0]?.fail(true);
    expect(feed.getSnapshot().connection).toBe('polling');
    await vi.waitFor(() => expect(streams.length).toBe(2));

    expect(api.paths.length).toBeGreaterThan(before);
    expect(streams[0]?.closed).toBe(true);
    streams[1]?.open();
    await settle();
    expect(feed.getSnapshot().connection).toBe('streaming');
  });

  it('survives an unreachable API, keeps the last data and recovers', async () => {
    feed.start();
    await settle();
    api.failure = 'network';

    await feed.refresh();

    let state = feed.getSnapshot();
    expect(state.connection).toBe('unreachable');
    expect(state.error).toBe('Status API unreachable at /_skewless/api/v1: Failed to fetch');
    expect(state.apps).toHaveLength(1);

    api.failure = 'problem';
    await feed.refresh();
    expect(feed.getSnapshot().error).toContain('GET /apps answered 503: store not reachable');

    api.failure = 'none';
    await feed.refresh();
    state = feed.getSnapshot();
    expect(state.error).toBeNull();
    expect(state.connection).toBe('polling');
  });

  it('only polls where there is no EventSource', async () => {
    const pollingOnly = new StatusFeed({ baseUrl: '/_skewless/api/v1', buildId: 'v1', fetchImpl: api.fetch, openStream: () => null, pollMs: 20 });
    pollingOnly.start();
    await vi.waitFor(() => expect(api.paths.filter((p) => p === '/apps').length).toBeGreaterThanOrEqual(3));
    pollingOnly.stop();
    expect(pollingOnly.getSnapshot().connection).toBe('polling');
  });
});

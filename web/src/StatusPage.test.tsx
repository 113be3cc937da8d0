import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { StatusFeed } from './statusFeed';
import { FakeStatusApi, FakeStream, SHOP, V1 } from './statusFakes';
import { StatusPage } from './StatusPage';

afterEach(cleanup);

describe('StatusPage', () => {
  it('shows each version with phase, role, tasks and a ticking time left', async () => {
    const api = new FakeStatusApi();
    api.apps = [{ ...SHOP, liveVersion: 'v2', canary: { version: 'v3', weight: 10 } }];
    api.versions = {
      shop: [
        { ...V1, version: 'v3', phase: 'Ready', live: false, canaryWeight: 10, createdAt: '2026-11-25T11:50:00Z' },
        { ...V1, version: 'v2', phase: 'Live', live: true, desiredCount: 2, runningCount: 1, createdAt: '2026-11-25T11:30:00Z' },
        { ...V1, version: 'v1', phase: 'Superseded', live: false, expiresAt: '2026-11-25T12:05:00Z',
          conditions: [{ type: 'Synced', status: 'True', reason: 'Reconciled' }] },
      ],
    };
    let now = Date.parse('2026-11-25T12:00:00Z');
    const feed = new StatusFeed({ baseUrl: '/_skewless/api/v1', buildId: 'v2', fetchImpl: api.fetch, openStream: (url) => new FakeStream(url) });

    render(<StatusPage feed={feed} clock={() => now} tickMs={5} />);

    const v1 = await screen.findByTestId('version-shop-v1');
    expect(within(v1).getByTestId('time-left').textContent).toBe('expires in 5m 00s');
    expect(v1.textContent).toContain('Superseded');
    expect(v1.textContent).toContain('Synced=True (Reconciled)');
    const v2 = screen.getByTestId('version-shop-v2');
    expect(within(v2).getByTestId('version-role').textContent).toBe('live');
    expect(v2.textContent).toContain('tasks 1/2');
    expect(within(screen.getByTestId('version-shop-v3')).getByTestId('version-role').textContent).toBe('canary 10%');
    expect(screen.getByTestId('app-live').textContent).toBe('v2');

    now += 61_000;
    await waitFor(() => expect(within(screen.getByTestId('version-shop-v1')).getByTestId('time-left').textContent)
      .toBe('expires in 3m 59s'));
  });

  it('says the API is unreachable instead of breaking', async () => {
    const api = new FakeStatusApi();
    api.failure = 'network';
    const feed = new StatusFeed({ baseUrl: '/_skewless/api/v1', buildId: 'v1', fetchImpl: api.fetch, openStream: () => null });

    render(<StatusPage feed={feed} />);

    expect((await screen.findByTestId('status-error')).textContent).toContain('Status API unreachable at /_skewless/api/v1');
    expect(screen.getByTestId('status-connection').getAttribute('data-connection')).toBe('unreachable');
  });
});

import { describe, expect, it } from 'vitest';
import type { AppSummary, VersionView } from './statusTypes';
import { formatDuration, formatTimeLeft, timelineRows } from './timeline';

const NOW = Date.parse('2026-11-25T12:00:00Z');

describe('time left before expiry', () => {
  it('shows the two largest units', () => {
    expect(formatDuration(12_999)).toBe('12s');
    expect(formatDuration(4 * 60_000 + 5_000)).toBe('4m 05s');
    expect(formatDuration(3_720_000)).toBe('1h 02m');
    expect(formatDuration(2 * 86_400_000 + 3 * 3_600_000 + 59 * 60_000)).toBe('2d 03h');
    expect(formatDuration(-5)).toBe('0s');
  });

  it('counts down to expiresAt and then up from it', () => {
    expect(formatTimeLeft('2026-11-25T12:04:05Z', NOW)).toBe('expires in 4m 05s');
    expect(formatTimeLeft('2026-11-25T12:04:05Z', NOW + 1000)).toBe('expires in 4m 04s');
    expect(formatTimeLeft('2026-11-25T11:59:48Z', NOW)).toBe('expired 12s ago');
    expect(formatTimeLeft('2026-11-25T12:00:00Z', NOW)).toBe('expired 0s ago');
  });

  it('says so when there is no expiry', () => {
    expect(formatTimeLeft(null, NOW)).toBe('no expiry');
    expect(formatTimeLeft(undefined, NOW)).toBe('no expiry');
    expect(formatTimeLeft('not a time', NOW)).toBe('no expiry');
  });
});

describe('timeline rows', () => {
  const version = (over: Partial<VersionView>): VersionView => ({
    app: 'shop', version: 'v', phase: 'Ready', live: false, canaryWeight: null, revoked: false,
    desiredCount: 1, runningCount: 1, conditions: [], ...over,
  });
  const app: AppSummary = { name: 'shop', liveVersion: 'v2', canary: { version: 'v3', weight: 10 } };

  it('orders newest first and labels phase, role, tasks, time left and conditions', () => {
    const rows = timelineRows([
      version({ version: 'v1', phase: 'Superseded', createdAt: '2026-11-25T10:00:00Z', expiresAt: '2026-11-25T12:10:00Z', desiredCount: 1, runningCount: 0,
        conditions: [{ type: 'Synced', status: 'False', reason: 'TasksStarting', message: '0/1 running' }] }),
      version({ version: 'v3', phase: 'Ready', createdAt: '2026-11-25T11:30:00Z', canaryWeight: 10 }),
      version({ version: 'v2', phase: 'Live', live: true, createdAt: '2026-11-25T11:00:00Z', desiredCount: 2, runningCount: 2 }),
      version({ version: 'v0', phase: 'Draining', revoked: true, createdAt: '2026-11-25T09:00:00Z', desiredCount: null, runningCount: null }),
    ], app, NOW);

    expect(rows.map((r) => [r.version, r.phase, r.role, r.tasks, r.timeLeft])).toEqual([
      ['v3', 'Ready', 'canary 10%', '1/1', 'no expiry'],
      ['v2', 'Live', 'live', '2/2', 'no expiry'],
      ['v1', 'Superseded', '', '0/1', 'expires in 10m 00s'],
      ['v0', 'Draining', 'revoked', '–', 'no expiry'],
    ]);
    expect(rows[2]?.conditions).toEqual(['Synced=False (TasksStarting: 0/1 running)']);
    expect(rows[2]?.msLeft).toBe(600_000);
  });
});

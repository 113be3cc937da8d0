// Turns version records into the rows of the status page's timeline. Pure: `now` is a parameter, so
// the page re-renders every second with a new `now` and the countdowns tick.

import type { AppSummary, Condition, VersionView } from './statusTypes';

export interface TimelineRow {
  version: string;
  phase: string;
  /** `live`, `canary 10%`, `revoked` or `''`. */
  role: string;
  /** `running/desired`, `–` when unknown. */
  tasks: string;
  /** `expires in 4m 05s`, `expired 12s ago`, `no expiry` (live or not yet superseded). */
  timeLeft: string;
  /** Milliseconds until expiry (negative once past), null without one; for styling. */
  msLeft: number | null;
  /** `Synced=False (ServiceUnhealthy: 0/1 targets healthy)`, one per condition. */
  conditions: string[];
  message: string | null;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A duration as its two largest units: `2d 03h`, `1h 02m`, `4m 05s`, `12s`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / SECOND)) * SECOND;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (total >= DAY) {
    return `${Math.floor(total / DAY)}d ${pad(Math.floor((total % DAY) / HOUR))}h`;
  }
  if (total >= HOUR) {
    return `${Math.floor(total / HOUR)}h ${pad(Math.floor((total % HOUR) / MINUTE))}m`;
  }
  if (total >= MINUTE) {
    return `${Math.floor(total / MINUTE)}m ${pad(Math.floor((total % MINUTE) / SECOND))}s`;
  }
  return `${Math.floor(total / SECOND)}s`;
}

/** How long until `expiresAt` (ISO-8601), as the timeline shows it. */
export function formatTimeLeft(expiresAt: string | null | undefined, now: number): string {
  const at = parseTime(expiresAt);
  if (at === null) {
    return 'no expiry';
  }
  const left = at - now;
  return left > 0 ? `expires in ${formatDuration(left)}` : `expired ${formatDuration(-left)} ago`;
}

export function formatCondition(condition: Condition): string {
  const detail = [condition.reason, condition.message].filter((s): s is string => !!s).join(': ');
  return `${condition.type}=${condition.status}${detail ? ` (${detail})` : ''}`;
}

/** The role a version plays in its app's traffic. */
export function roleOf(version: VersionView, app: AppSummary | undefined): string {
  if (version.revoked) {
    return 'revoked';
  }
  if (version.live || app?.liveVersion === version.version) {
    return 'live';
  }
  const weight = version.canaryWeight ?? (app?.canary?.version === version.version ? app.canary.weight : null);
  return weight !== null && weight !== undefined ? `canary ${weight}%` : '';
}

/** Rows for one app's versions, newest first (by createdAt, then as given). */
export function timelineRows(versions: VersionView[], app: AppSummary | undefined, now: number): TimelineRow[] {
  return [...versions]
    .map((v, index) => ({ v, index }))
    .sort((a, b) => (parseTime(b.v.createdAt) ?? 0) - (parseTime(a.v.createdAt) ?? 0) || a.index - b.index)
    .map(({ v }) => {
      const expires = parseTime(v.expiresAt);
      return {
        version: v.version,
        phase: v.phase,
        role: roleOf(v, app),
        tasks: v.runningCount === null || v.desiredCount === null ? '–' : `${v.runningCount}/${v.desiredCount}`,
        timeLeft: formatTimeLeft(v.expiresAt, now),
        msLeft: expires === null ? null : expires - now,
        conditions: (v.conditions ?? []).map(formatCondition),
        message: v.message ?? null,
      };
    });
}

function parseTime(text: string | null | undefined): number | null {
  if (!text) {
    return null;
  }
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : at;
}

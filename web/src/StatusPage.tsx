import { useEffect, useSyncExternalStore } from 'react';
import type { Connection, StatusFeed } from './statusFeed';
import { formatCondition, formatDuration, timelineRows } from './timeline';
import { useNow } from './useNow';

export interface StatusPageProps {
  feed: StatusFeed;
  clock?: () => number;
  /** How often the countdowns re-render. */
  tickMs?: number;
}

const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: 'connecting…',
  streaming: 'live (stream)',
  polling: 'polling',
  unreachable: 'status API unreachable, retrying',
};

/** Every app's versions as a timeline, newest first, kept current by the {@link StatusFeed}. */
export function StatusPage({ feed, clock = Date.now, tickMs = 1000 }: StatusPageProps) {
  const state = useSyncExternalStore(feed.subscribe, feed.getSnapshot);
  const now = useNow(tickMs, clock);

  useEffect(() => {
    feed.start();
    return () => feed.stop();
  }, [feed]);

  return (
    <section className="status">
      <div className="status-head">
        <h2>Versions</h2>
        <span className={`connection ${state.connection}`} data-testid="status-connection" data-connection={state.connection}>
          {CONNECTION_TEXT[state.connection]}
        </span>
        {state.lastUpdated !== null && (
          <span className="updated">updated {formatDuration(now - state.lastUpdated)} ago</span>
        )}
      </div>
      {state.error && (
        <p className="error" role="status" data-testid="status-error">
          {state.error}. {state.apps.length > 0 ? 'Showing the last data received.' : ''}
        </p>
      )}
      {state.apps.length === 0 && !state.error && state.lastUpdated !== null && <p>No apps yet.</p>}
      {state.apps.map(({ summary, versions }) => (
        <article key={summary.name} className="app" data-testid={`app-${summary.name}`}>
          <header>
            <h3>{summary.name}</h3>
            <span>live: <strong data-testid="app-live">{summary.liveVersion ?? 'none'}</strong></span>
            {summary.canary && <span>canary: {summary.canary.version} at {summary.canary.weight}%</span>}
            {(summary.conditions ?? []).map((c) => (
              <span key={c.type} className={`condition ${c.status.toLowerCase()}`}>{formatCondition(c)}</span>
            ))}
          </header>
          <ol className="timeline">
            {timelineRows(versions, summary, now).map((row) => (
              <li
                key={row.version}
                className={`version phase-${row.phase.toLowerCase()}${row.role === 'live' ? ' is-live' : ''}`}
                data-testid={`version-${summary.name}-${row.version}`}
                data-phase={row.phase}
              >
                <span className="version-id">{row.version}</span>
                <span className="phase">{row.phase}</span>
                {row.role && <span className="role" data-testid="version-role">{row.role}</span>}
                <span className="tasks" title="running/desired tasks">tasks {row.tasks}</span>
                <span className={`time-left${row.msLeft !== null && row.msLeft <= 0 ? ' past' : ''}`} data-testid="time-left">
                  {row.timeLeft}
                </span>
                {row.conditions.length > 0 && (
                  <ul className="conditions">
                    {row.conditions.map((c) => <li key={c}>{c}</li>)}
                  </ul>
                )}
                {row.message && <p className="message">{row.message}</p>}
              </li>
            ))}
          </ol>
        </article>
      ))}
      {state.events.length > 0 && (
        <article className="events">
          <h3>Recent events</h3>
          <ul>
            {state.events.map((e, index) => (
              <li key={`${e.time}-${index}`}>
                <time>{e.time}</time> {e.app}{e.version ? `/${e.version}` : ''} {e.action}: {e.outcome}
                {e.message ? ` — ${e.message}` : ''}
              </li>
            ))}
          </ul>
        </article>
      )}
    </section>
  );
}

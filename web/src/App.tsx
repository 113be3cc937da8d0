import { useEffect, useState, useSyncExternalStore } from 'react';
import type { ApiClient } from './api';
import type { ClientConfig } from './config';
import { ReloadBanner } from './ReloadBanner';
import { ShopPage } from './ShopPage';
import type { SkewStore } from './skew';
import type { StatusFeed } from './statusFeed';
import { StatusPage } from './StatusPage';

export interface AppProps {
  config: ClientConfig;
  api: ApiClient;
  skew: SkewStore;
  /** Made when the status page is first shown. */
  statusFeed: () => StatusFeed;
  onReload?: () => void;
}

export const STATUS_ROUTE = '#/status';

function useHash(): string {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

export function App({ config, api, skew, statusFeed, onReload = () => window.location.reload() }: AppProps) {
  const { skew: seen, backendVersion } = useSyncExternalStore(skew.subscribe, skew.getSnapshot);
  const onStatus = useHash() === STATUS_ROUTE;
  const [feed, setFeed] = useState<StatusFeed | null>(null);
  useEffect(() => {
    if (onStatus && feed === null) {
      setFeed(statusFeed());
    }
  }, [onStatus, feed, statusFeed]);

  return (
    <div className="page">
      {seen && <ReloadBanner skew={seen} buildId={config.buildId} onReload={onReload} />}
      <header className="top">
        <h1>skewless shop</h1>
        <nav>
          <a href="#/" className={onStatus ? '' : 'active'}>Shop</a>
          <a href={STATUS_ROUTE} className={onStatus ? 'active' : ''}>Status</a>
        </nav>
        <dl className="versions">
          <dt>this page</dt>
          <dd data-testid="build-version" data-schema={config.apiSchema}>{config.buildId}</dd>
          <dt>API schema</dt>
          <dd>{config.apiSchema}</dd>
          <dt>backend</dt>
          <dd data-testid="backend-version">{backendVersion ?? '—'}</dd>
        </dl>
      </header>
      <main>
        {onStatus
          ? feed && <StatusPage feed={feed} />
          : <ShopPage api={api} schema={config.apiSchema} />}
      </main>
    </div>
  );
}

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiClient } from './api';
import { App } from './App';
import { buildConfig } from './config';
import { SkewStore } from './skew';
import { StatusFeed } from './statusFeed';
import './styles.css';

const skew = new SkewStore();
const api = new ApiClient({
  buildId: buildConfig.buildId,
  baseUrl: buildConfig.apiBase,
  onSkew: skew.reportSkew,
  onBackendVersion: skew.reportBackendVersion,
});
const statusFeed = () => new StatusFeed({ baseUrl: buildConfig.statusApiBase, buildId: buildConfig.buildId });

const root = document.getElementById('root');
if (root === null) {
  throw new Error('index.html has no #root element');
}
createRoot(root).render(
  <StrictMode>
    <App config={buildConfig} api={api} skew={skew} statusFeed={statusFeed} />
  </StrictMode>,
);

// The constants this build was made with. Everything else takes them as parameters, so tests can run
// any combination without rebuilding.

export type ApiSchema = 'v1' | 'v2';

export interface ClientConfig {
  /** The version id of this build; sent in `x-deployment-id` and compared with the backend's. */
  buildId: string;
  /** The shape of the shop API this build speaks. */
  apiSchema: ApiSchema;
  /** Prefix for the app's API calls (`''` = same origin). */
  apiBase: string;
  /** Base URL of the skewless status API. */
  statusApiBase: string;
}

export const DEFAULT_STATUS_API = '/_skewless/api/v1';

export function parseSchema(value: string | undefined): ApiSchema {
  return value?.toLowerCase() === 'v2' ? 'v2' : 'v1';
}

/** The configuration baked into this bundle at build time. */
export const buildConfig: ClientConfig = {
  buildId: import.meta.env.VITE_DEPLOYMENT_ID || 'dev',
  apiSchema: parseSchema(import.meta.env.VITE_API_SCHEMA),
  apiBase: import.meta.env.VITE_API_BASE ?? '',
  statusApiBase: import.meta.env.VITE_STATUS_API ?? DEFAULT_STATUS_API,
};

/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** This build's version id (set by build-version.sh; `dev` when unset). */
  readonly VITE_DEPLOYMENT_ID: string;
  /** The API schema this build speaks: `v1` or `v2`. */
  readonly VITE_API_SCHEMA: string;
  /** Where the skewless status API lives; `/_skewless/api/v1` (through the router) when unset. */
  readonly VITE_STATUS_API?: string;
  /** Prefix of the app's own API; same origin when unset. */
  readonly VITE_API_BASE?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}

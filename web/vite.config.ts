/// <reference types="vitest/config" />
import { defineConfig, loadEnv } from 'vite';
import react from '@vitejs/plugin-react';
import { buildSettings } from './build-config.ts';

// One build = one version of the client. The version id and API schema are fixed at build time and
// baked into the bundle (import.meta.env.VITE_DEPLOYMENT_ID / VITE_API_SCHEMA); assets get hashed
// names under assets/ so the builds of several versions can be served side by side.
export default defineConfig(({ mode }) => {
  const env = { ...loadEnv(mode, process.cwd(), 'VITE_'), ...pickVite(process.env) };
  const settings = buildSettings(env);
  return {
    plugins: [react()],
    define: {
      // Normalised values (defaults applied, schema lower-cased) win over the raw environment.
      'import.meta.env.VITE_DEPLOYMENT_ID': JSON.stringify(settings.deploymentId),
      'import.meta.env.VITE_API_SCHEMA': JSON.stringify(settings.apiSchema),
    },
    build: {
      assetsDir: 'assets',
      // index.html is the only unhashed file; everything it loads is content-addressed.
      manifest: false,
      sourcemap: false,
    },
    server: {
      // `npm run dev` against `./skewless dev`'s router (port 8080 unless told otherwise).
      proxy: {
        '/api': process.env.SKEWLESS_DEV_ROUTER ?? 'http://127.0.0.1:8080',
        '/_skewless': process.env.SKEWLESS_DEV_ROUTER ?? 'http://127.0.0.1:8080',
      },
    },
    test: {
      environment: 'happy-dom',
      include: ['src/**/*.test.{ts,tsx}', 'build-config.test.ts'],
      restoreMocks: true,
    },
  };
});

function pickVite(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[0].startsWith('VITE_') && e[1] !== undefined),
  );
}

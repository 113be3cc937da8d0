import { describe, expect, it } from 'vitest';
import { buildSettings } from './build-config';

describe('build settings', () => {
  it('defaults to dev and v1', () => {
    expect(buildSettings({})).toEqual({ deploymentId: 'dev', apiSchema: 'v1' });
  });

  it('takes the version and schema from the environment', () => {
    expect(buildSettings({ VITE_DEPLOYMENT_ID: '2026.11.25-1', VITE_API_SCHEMA: 'V2' }))
      .toEqual({ deploymentId: '2026.11.25-1', apiSchema: 'v2' });
  });

  it('lists every bad value', () => {
    expect(() => buildSettings({ VITE_DEPLOYMENT_ID: 'v1 beta', VITE_API_SCHEMA: 'v3' })).toThrow(
      "invalid web build settings:\n  VITE_DEPLOYMENT_ID: 'v1 beta' must match ^[A-Za-z0-9._-]{1,64}$\n"
      + "  VITE_API_SCHEMA: 'v3' must be one of v1, v2",
    );
  });
});

// What a build of the web client is: its version id and the API schema it speaks. Read from the
// environment at build time (VITE_DEPLOYMENT_ID, VITE_API_SCHEMA) and checked here so that a bad value
// fails the build with every problem listed, instead of shipping a client that pins to nothing.

/** The same rule as AppVersion.metadata.name, so every version id the controller accepts fits. */
export const VERSION_ID = /^[A-Za-z0-9._-]{1,64}$/;
export const API_SCHEMAS = ['v1', 'v2'] as const;

export interface BuildSettings {
  deploymentId: string;
  apiSchema: (typeof API_SCHEMAS)[number];
}

export function buildSettings(env: Record<string, string | undefined>): BuildSettings {
  const problems: string[] = [];
  const deploymentId = (env.VITE_DEPLOYMENT_ID ?? '').trim() || 'dev';
  if (!VERSION_ID.test(deploymentId)) {
    problems.push(`VITE_DEPLOYMENT_ID: '${deploymentId}' must match ${VERSION_ID.source}`);
  }
  const schema = (env.VITE_API_SCHEMA ?? '').trim().toLowerCase() || 'v1';
  if (!(API_SCHEMAS as readonly string[]).includes(schema)) {
    problems.push(`VITE_API_SCHEMA: '${schema}' must be one of ${API_SCHEMAS.join(', ')}`);
  }
  if (problems.length > 0) {
    throw new Error(`invalid web build settings:\n  ${problems.join('\n  ')}`);
  }
  return { deploymentId, apiSchema: schema as BuildSettings['apiSchema'] };
}

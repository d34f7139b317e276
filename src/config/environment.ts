export const ENVIRONMENTS = ['development', 'test', 'staging', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

const ALIASES: Record<string, Environment> = {
  dev: 'development',
  development: 'development',
  test: 'test',
  testing: 'test',
  stage: 'staging',
  staging: 'staging',
  prod: 'production',
  production: 'production',
};

/**
 * Resolves the active environment from NODE_ENV and ENVIRONMENT (the original service's variable).
 * Either one saying production makes it production; the two naming different environments is an error.
 */
export function resolveEnvironment(env: NodeJS.ProcessEnv): { environment?: Environment; problems: string[] } {
  const problems: string[] = [];
  const read = (name: 'NODE_ENV' | 'ENVIRONMENT'): Environment | undefined => {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    const resolved = ALIASES[raw.toLowerCase()];
    if (!resolved) problems.push(`${name} must be one of ${ENVIRONMENTS.join(', ')} (got "${raw}")`);
    return resolved;
  };
  const nodeEnv = read('NODE_ENV');
  const legacy = read('ENVIRONMENT');
  if (nodeEnv && legacy && nodeEnv !== legacy) {
    problems.push(`NODE_ENV ("${nodeEnv}") and ENVIRONMENT ("${legacy}") disagree; set one, or set both to the same value`);
  }
  if (problems.length > 0) return { problems };
  return { environment: nodeEnv ?? legacy ?? 'development', problems };
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Environment } from './environment';
import { KNOWN_SETTINGS } from './env.schema';

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Where the per-environment YAML files live; CONFIG_DIR overrides it (e.g. a mounted ConfigMap). */
export function configDirectory(env: NodeJS.ProcessEnv): string {
  return env.CONFIG_DIR ?? join(process.cwd(), 'config', 'environments');
}

/**
 * Reads config/environments/<environment>.yaml: a flat map of setting names to values,
 * with ${VAR} and ${VAR:-default} replaced from the environment. A value that is only an unset
 * ${VAR} with no default is left out, so the schema reports it as missing rather than empty.
 */
export function loadYamlSettings(
  environment: Environment,
  env: NodeJS.ProcessEnv,
): { settings: Record<string, string>; problems: string[]; file?: string } {
  const file = join(configDirectory(env), `${environment}.yaml`);
  if (!existsSync(file)) return { settings: {}, problems: [] };
  let document: unknown;
  try {
    document = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { settings: {}, problems: [`${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`], file };
  }
  if (document === null || document === undefined) return { settings: {}, problems: [], file };
  if (typeof document !== 'object' || Array.isArray(document)) {
    return { settings: {}, problems: [`${file} must be a map of SETTING: value`], file };
  }
  const settings: Record<string, string> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(document as Record<string, unknown>)) {
    if (!KNOWN_SETTINGS.has(key)) {
      problems.push(`${file}: unknown setting ${key}`);
      continue;
    }
    if (value === null || value === undefined) continue;
    if (typeof value === 'object') {
      problems.push(`${file}: ${key} must be a plain value`);
      continue;
    }
    const interpolated = interpolate(String(value), env);
    if (interpolated !== undefined) settings[key] = interpolated;
  }
  return { settings, problems, file };
}

export function interpolate(value: string, env: NodeJS.ProcessEnv): string | undefined {
  const whole = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value);
  if (whole && (env[whole[1]] === undefined || env[whole[1]] === '')) return undefined;
  return value.replace(PLACEHOLDER, (_match, name: string, fallback: string | undefined) => {
    const current = env[name];
    return current !== undefined && current !== '' ? current : (fallback ?? '');
  });
}

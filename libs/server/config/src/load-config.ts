import { z } from 'zod';

/** Thrown at boot when the environment does not describe a valid configuration. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`${service}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type Environment = Record<string, string | undefined>;

/**
 * Validates the environment against a schema once, at boot, and returns typed config.
 * Every problem is listed by variable name, so a misconfigured service fails fast with
 * one readable message. This is the only place that reads `process.env`.
 */
export function loadConfig<S extends z.ZodType>(
  service: string,
  schema: S,
  env: Environment = process.env,
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    return `${name}: ${issue.message}`;
  });
  throw new ConfigError(service, problems);
}

/**
 * A process's config from `load`; when it is invalid, prints the ConfigError as one clear
 * message and exits (code 78, EX_CONFIG) instead of a stack trace. Anything else is rethrown.
 */
export function configOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}

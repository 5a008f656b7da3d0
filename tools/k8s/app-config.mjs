// Loads an app's configuration the way the app does at start (its built config module and zod
// schema), from a given environment, as in production: secrets without defaults. The tests use it
// to prove that what the manifests and compose.yaml give each app is a configuration it accepts.
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const capitalized = (name) => name[0].toUpperCase() + name.slice(1);

/** Resolves with the app's config, or rejects with its ConfigError naming every bad variable. */
export async function loadAppConfig(app, env) {
  const module = await import(pathToFileURL(`${ROOT}apps/${app}/dist/config/${app}.config.js`).href);
  const load = module[`load${capitalized(app)}Config`];
  if (typeof load !== 'function') throw new Error(`apps/${app} has no load${capitalized(app)}Config`);
  // The schemas' secret() reads NODE_ENV itself: only in production are the secrets required.
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    return load({ NODE_ENV: 'production', ...env });
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
}

/** A stand-in value for a secret: long enough for every secret() and of the right shape for URLs. */
export function fakeSecret(variableOrKey) {
  if (/url$/i.test(variableOrKey)) return 'redis://:stand-in-password@redis.example.invalid:6379';
  if (/email/i.test(variableOrKey)) return 'admin@example.org';
  if (/^(username|MYSQL_USER)$/i.test(variableOrKey)) return 'lexy';
  return `stand-in-${variableOrKey}-`.padEnd(48, 'x');
}

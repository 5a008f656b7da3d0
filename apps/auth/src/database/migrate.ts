// Applies pending migrations of lexy_auth (run by `npm start`, the tests and the k8s Job).
import { exitOnConfigError } from '@lexy/server-config';
import { runMigrations } from '@lexy/server-database';
import { loadAuthConfig, authDatabase } from '../config/auth.config.js';
import { AUTH_SCHEMA } from './schema.js';

try {
  const applied = await runMigrations(authDatabase(loadAuthConfig()), AUTH_SCHEMA);
  console.log(`auth: ${applied.length} migration(s) applied${applied.length ? `: ${applied.join(', ')}` : ''}`);
} catch (error) {
  exitOnConfigError(error);
}

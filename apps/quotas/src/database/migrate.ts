// Applies pending migrations of lexy_quotas (run by `npm start`, the tests and the k8s Job).
import { exitOnConfigError } from '@lexy/server-config';
import { runMigrations } from '@lexy/server-database';
import { loadQuotasConfig, quotasDatabase } from '../config/quotas.config.js';
import { QUOTAS_SCHEMA } from './schema.js';

try {
  const applied = await runMigrations(quotasDatabase(loadQuotasConfig()), QUOTAS_SCHEMA);
  console.log(`quotas: ${applied.length} migration(s) applied${applied.length ? `: ${applied.join(', ')}` : ''}`);
} catch (error) {
  exitOnConfigError(error);
}

// Applies pending migrations of lexy_quotas (run by `npm start`, the tests and the k8s Job).
import { configOrExit } from '@lexy/server-config';
import { migrateAndReport } from '@lexy/server-database';
import { loadQuotasConfig, quotasDatabase } from '../config/quotas.config.js';
import { QUOTAS_SCHEMA } from './schema.js';

await migrateAndReport('quotas', quotasDatabase(configOrExit(loadQuotasConfig)), QUOTAS_SCHEMA);

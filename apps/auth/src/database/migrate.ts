// Applies pending migrations of lexy_auth (run by `npm start`, the tests and the k8s Job).
import { configOrExit } from '@lexy/server-config';
import { migrateAndReport } from '@lexy/server-database';
import { loadAuthConfig, authDatabase } from '../config/auth.config.js';
import { AUTH_SCHEMA } from './schema.js';

await migrateAndReport('auth', authDatabase(configOrExit(loadAuthConfig)), AUTH_SCHEMA);

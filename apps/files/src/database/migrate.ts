// Applies pending migrations of lexy_files (run by `npm start`, the tests and the k8s Job).
import { configOrExit } from '@lexy/server-config';
import { migrateAndReport } from '@lexy/server-database';
import { loadFilesConfig, filesDatabase } from '../config/files.config.js';
import { FILES_SCHEMA } from './schema.js';

await migrateAndReport('files', filesDatabase(configOrExit(loadFilesConfig)), FILES_SCHEMA);

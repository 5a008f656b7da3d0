// Applies pending migrations of lexy_files (run by `npm start`, the tests and the k8s Job).
import { exitOnConfigError } from '@lexy/server-config';
import { runMigrations } from '@lexy/server-database';
import { loadFilesConfig, filesDatabase } from '../config/files.config.js';
import { FILES_SCHEMA } from './schema.js';

try {
  const applied = await runMigrations(filesDatabase(loadFilesConfig()), FILES_SCHEMA);
  console.log(`files: ${applied.length} migration(s) applied${applied.length ? `: ${applied.join(', ')}` : ''}`);
} catch (error) {
  exitOnConfigError(error);
}

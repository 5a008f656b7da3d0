// Entry point for the TypeORM CLI (`typeorm migration:generate -d dist/database/data-source.js`).
import { mysqlDataSourceOptions } from '@lexy/server-database';
import { DataSource } from 'typeorm';
import { loadQuotasConfig, quotasDatabase } from '../config/quotas.config.js';
import { QUOTAS_SCHEMA } from './schema.js';

export default new DataSource(mysqlDataSourceOptions(quotasDatabase(loadQuotasConfig()), QUOTAS_SCHEMA));

import { mysqlDataSourceOptions } from '@lexy/server-database';
import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { quotasDatabase, type QuotasConfig } from '../config/quotas.config.js';
import { QUOTAS_SCHEMA } from './schema.js';

export const QUOTAS_CONFIG = Symbol('QUOTAS_CONFIG');

export const dataSourceProvider: Provider = {
  provide: DataSource,
  inject: [QUOTAS_CONFIG],
  useFactory: (config: QuotasConfig) =>
    new DataSource(mysqlDataSourceOptions(quotasDatabase(config), QUOTAS_SCHEMA)).initialize(),
};

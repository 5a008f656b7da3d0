import { mysqlDataSourceOptions } from '@lexy/server-database';
import { Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
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

/** Closes the connection pool once the gRPC server has stopped taking calls. */
@Injectable()
export class DataSourceShutdown implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

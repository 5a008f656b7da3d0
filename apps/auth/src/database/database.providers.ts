import { mysqlDataSourceOptions } from '@lexy/server-database';
import { Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AUTH_CONFIG, authDatabase, type AuthConfig } from '../config/auth.config.js';
import { AUTH_SCHEMA } from './schema.js';

export const dataSourceProvider: Provider = {
  provide: DataSource,
  inject: [AUTH_CONFIG],
  useFactory: (config: AuthConfig) =>
    new DataSource(mysqlDataSourceOptions(authDatabase(config), AUTH_SCHEMA)).initialize(),
};

/** Closes the connection pool when the app shuts down, so a stopped app leaves no sockets behind. */
@Injectable()
export class DataSourceCloser implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

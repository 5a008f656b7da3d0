import { mysqlDataSourceOptions } from '@lexy/server-database';
import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { filesDatabase, type FilesConfig } from '../config/files.config.js';
import { FILES_SCHEMA } from './schema.js';

export const FILES_CONFIG = Symbol('FILES_CONFIG');

export const dataSourceProvider: Provider = {
  provide: DataSource,
  inject: [FILES_CONFIG],
  useFactory: (config: FilesConfig) =>
    new DataSource(mysqlDataSourceOptions(filesDatabase(config), FILES_SCHEMA)).initialize(),
};

/** Closes the connection pool once the gRPC server has stopped taking requests. */
@Injectable()
export class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

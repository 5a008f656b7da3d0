import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { mysqlDataSourceOptions, type DatabaseConfig, type SchemaDefinition } from './database-config.js';

/** Closes the connection pool when the app shuts down, so a stopped app leaves no sockets behind. */
@Injectable()
export class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** A service's DataSource, connected at boot and closed at shutdown, for its Nest module. */
export function databaseProviders(database: DatabaseConfig, schema: SchemaDefinition): Provider[] {
  return [
    { provide: DataSource, useFactory: () => new DataSource(mysqlDataSourceOptions(database, schema)).initialize() },
    DataSourceCloser,
  ];
}

/** A readiness probe: true while the database answers. */
export function databaseReachable(dataSource: DataSource): () => Promise<boolean> {
  return async () => (await dataSource.query('SELECT 1')).length === 1;
}

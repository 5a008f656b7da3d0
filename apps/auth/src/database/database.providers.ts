import { mysqlDataSourceOptions } from '@lexy/server-database';
import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { authDatabase, type AuthConfig } from '../config/auth.config.js';
import { AUTH_SCHEMA } from './schema.js';

export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

export const dataSourceProvider: Provider = {
  provide: DataSource,
  inject: [AUTH_CONFIG],
  useFactory: (config: AuthConfig) =>
    new DataSource(mysqlDataSourceOptions(authDatabase(config), AUTH_SCHEMA)).initialize(),
};

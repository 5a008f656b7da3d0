// Entry point for the TypeORM CLI (`typeorm migration:generate -d dist/database/data-source.js`).
import { mysqlDataSourceOptions } from '@lexy/server-database';
import { DataSource } from 'typeorm';
import { loadAuthConfig, authDatabase } from '../config/auth.config.js';
import { AUTH_SCHEMA } from './schema.js';

export default new DataSource(mysqlDataSourceOptions(authDatabase(loadAuthConfig()), AUTH_SCHEMA));

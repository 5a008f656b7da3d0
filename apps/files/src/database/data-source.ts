// Entry point for the TypeORM CLI (`typeorm migration:generate -d dist/database/data-source.js`).
import { mysqlDataSourceOptions } from '@lexy/server-database';
import { DataSource } from 'typeorm';
import { loadFilesConfig, filesDatabase } from '../config/files.config.js';
import { FILES_SCHEMA } from './schema.js';

export default new DataSource(mysqlDataSourceOptions(filesDatabase(loadFilesConfig()), FILES_SCHEMA));

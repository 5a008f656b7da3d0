// Entry point for the TypeORM CLI (`typeorm migration:generate -d dist/database/data-source.js`).
import { mysqlDataSourceOptions } from '@lexy/server-database';
import { DataSource } from 'typeorm';
import { loadRelayConfig, relayDatabase } from '../config/relay.config.js';
import { RELAY_SCHEMA } from './schema.js';

export default new DataSource(mysqlDataSourceOptions(relayDatabase(loadRelayConfig()), RELAY_SCHEMA));

// Applies pending migrations of lexy_relay (run by `npm start`, the tests and the k8s Job).
import { configOrExit } from '@lexy/server-config';
import { migrateAndReport } from '@lexy/server-database';
import { loadRelayConfig, relayDatabase } from '../config/relay.config.js';
import { RELAY_SCHEMA } from './schema.js';

await migrateAndReport('relay', relayDatabase(configOrExit(loadRelayConfig)), RELAY_SCHEMA);

import type { SchemaDefinition } from '@lexy/server-database';

// Entities and migrations of lexy_quotas; the only schema this service touches.
export const QUOTAS_SCHEMA: SchemaDefinition = {
  entities: [],
  migrations: [],
};

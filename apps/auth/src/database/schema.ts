import type { SchemaDefinition } from '@lexy/server-database';

// Entities and migrations of lexy_auth; the only schema this service touches.
export const AUTH_SCHEMA: SchemaDefinition = {
  entities: [],
  migrations: [],
};

import type { SchemaDefinition } from '@lexy/server-database';

// Entities and migrations of lexy_files; the only schema this service touches.
export const FILES_SCHEMA: SchemaDefinition = {
  entities: [],
  migrations: [],
};

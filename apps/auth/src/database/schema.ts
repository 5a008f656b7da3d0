import { AuditEntrySchema } from '@lexy/server-audit';
import type { SchemaDefinition } from '@lexy/server-database';
import { SessionSchema } from '../auth/session.entity.js';
import { UserSchema } from '../auth/user.entity.js';
import { CreateUsersAndSessions1795607685249 } from './migrations/1795607685249-CreateUsersAndSessions.js';
import { AddRefreshTokenRotation1795700000000 } from './migrations/1795700000000-AddRefreshTokenRotation.js';
import { CreateAuditLog1797000000000 } from './migrations/1797000000000-CreateAuditLog.js';
import { IndexUsersByCreation1797000000001 } from './migrations/1797000000001-IndexUsersByCreation.js';

// Entities and migrations of lexy_auth; the only schema this service touches.
export const AUTH_SCHEMA: SchemaDefinition = {
  entities: [UserSchema, SessionSchema, AuditEntrySchema],
  migrations: [
    CreateUsersAndSessions1795607685249,
    AddRefreshTokenRotation1795700000000,
    CreateAuditLog1797000000000,
    IndexUsersByCreation1797000000001,
  ],
};

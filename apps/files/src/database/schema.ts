import { AuditEntrySchema } from '@lexy/server-audit';
import type { SchemaDefinition } from '@lexy/server-database';
import { BlockedContentSchema } from '../files/blocked-content.entity.js';
import { FileSchema } from '../files/file.entity.js';
import { PinAttemptSchema } from '../files/pin-attempt.entity.js';
import { UploadDaySchema } from '../files/upload-day.entity.js';
import { UploadSchema } from '../files/upload.entity.js';
import { CreateUploadsAndFiles1795607787017 } from './migrations/1795607787017-CreateUploadsAndFiles.js';
import { PickupProtection1796201069664 } from './migrations/1796201069664-PickupProtection.js';
import { FileLifecycle1796235394869 } from './migrations/1796235394869-FileLifecycle.js';
import { AdminConsole1796500000000 } from './migrations/1796500000000-AdminConsole.js';

// Entities and migrations of lexy_files; the only schema this service touches.
export const FILES_SCHEMA: SchemaDefinition = {
  entities: [UploadSchema, FileSchema, PinAttemptSchema, AuditEntrySchema, BlockedContentSchema, UploadDaySchema],
  migrations: [
    CreateUploadsAndFiles1795607787017,
    PickupProtection1796201069664,
    FileLifecycle1796235394869,
    AdminConsole1796500000000,
  ],
};

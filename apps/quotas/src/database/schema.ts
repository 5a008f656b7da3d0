import { AuditEntrySchema } from '@lexy/server-audit';
import type { SchemaDefinition } from '@lexy/server-database';
import { GroupSchema } from '../quotas/group.entity.js';
import { ReservationSchema } from '../quotas/reservation.entity.js';
import { StorageAccountSchema } from '../quotas/storage-account.entity.js';
import { StoredFileSchema } from '../quotas/stored-file.entity.js';
import { CreateQuotaTables1795607686000 } from './migrations/1795607686000-CreateQuotaTables.js';
import { SeedGroups1795607686001 } from './migrations/1795607686001-SeedGroups.js';
import { CreateTrafficDays1795607686002 } from './migrations/1795607686002-CreateTrafficDays.js';
import { CreateTrafficReservations1796300000000 } from './migrations/1796300000000-CreateTrafficReservations.js';
import { CreateAuditLog1797000000000 } from './migrations/1797000000000-CreateAuditLog.js';
import { IndexTrafficDaysByDay1797000000001 } from './migrations/1797000000001-IndexTrafficDaysByDay.js';

// Entities and migrations of lexy_quotas; the only schema this service touches.
export const QUOTAS_SCHEMA: SchemaDefinition = {
  entities: [GroupSchema, StorageAccountSchema, ReservationSchema, StoredFileSchema, AuditEntrySchema],
  migrations: [
    CreateQuotaTables1795607686000,
    SeedGroups1795607686001,
    CreateTrafficDays1795607686002,
    CreateTrafficReservations1796300000000,
    CreateAuditLog1797000000000,
    IndexTrafficDaysByDay1797000000001,
  ],
};

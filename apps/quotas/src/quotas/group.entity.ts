import { EntitySchema } from 'typeorm';
import { bigintAsNumber } from '@lexy/server-database';

export type TrafficWindowValue = 'day' | 'month';

/** One row of `groups`: a group's limits, NULL meaning unlimited. */
export interface GroupEntity {
  name: string;
  downloadBytesPerSecond: number | null;
  maxFileBytes: number | null;
  storageBytes: number | null;
  trafficBytes: number | null;
  trafficWindow: TrafficWindowValue | null;
  retentionSeconds: number | null;
}

const limit = (name: string) => ({ name, type: 'bigint', nullable: true, transformer: bigintAsNumber }) as const;

export const GroupSchema = new EntitySchema<GroupEntity>({
  name: 'Group',
  tableName: 'groups',
  columns: {
    name: { type: 'varchar', length: 32, primary: true },
    downloadBytesPerSecond: limit('download_bytes_per_second'),
    maxFileBytes: limit('max_file_bytes'),
    storageBytes: limit('storage_bytes'),
    trafficBytes: limit('traffic_bytes'),
    trafficWindow: { name: 'traffic_window', type: 'enum', enum: ['day', 'month'], nullable: true },
    retentionSeconds: limit('retention_seconds'),
  },
});

import type { filesV1, quotasV1, relayV1 } from '@lexy/contracts-grpc';
import type { PromiseClient } from '@lexy/server-grpc';
import type { ObjectStorage } from '@lexy/server-storage';

/** The files service's FileLifecycleService, called as the cleanup worker. */
export type FileLifecycle = PromiseClient<filesV1.FileLifecycleServiceClient>;
/** The quotas service's StorageMaintenanceService, called as the cleanup worker. */
export type StorageMaintenance = PromiseClient<quotasV1.StorageMaintenanceServiceClient>;
/** The relay service's RelayMaintenanceService, called as the cleanup worker. */
export type RelayMaintenance = PromiseClient<relayV1.RelayMaintenanceServiceClient>;
/** What the jobs do with object storage. */
export type CleanupStorage = Pick<
  ObjectStorage,
  'listObjects' | 'removeMany' | 'abortUploadsOf' | 'abortMultipart' | 'listStaleUploads' | 'stat'
>;

export const FILE_LIFECYCLE = Symbol('FILE_LIFECYCLE');
export const STORAGE_MAINTENANCE = Symbol('STORAGE_MAINTENANCE');
export const RELAY_MAINTENANCE = Symbol('RELAY_MAINTENANCE');
export const CLEANUP_STORAGE = Symbol('CLEANUP_STORAGE');

// Generated gRPC contracts (ts-proto, from proto/), re-exported by domain.
import { fileURLToPath } from 'node:url';

export * as commonV1 from './generated/lexy/common/v1/common.js';
export * as authV1 from './generated/lexy/auth/v1/auth.js';
export * as filesV1 from './generated/lexy/files/v1/files.js';
export * as quotasV1 from './generated/lexy/quotas/v1/quotas.js';
export * as relayV1 from './generated/lexy/relay/v1/relay.js';
export * as healthV1 from './generated/grpc/health/v1/health.js';

/** Folder holding the .proto sources; gRPC servers and clients load them at run time. */
export const PROTO_ROOT = fileURLToPath(new URL('../../../../proto/', import.meta.url));

/** The proto package and file of each service, as Nest's gRPC transport wants them. */
export const GRPC_SERVICES = {
  auth: { package: 'lexy.auth.v1', protoPath: 'lexy/auth/v1/auth.proto', service: 'AuthService' },
  files: { package: 'lexy.files.v1', protoPath: 'lexy/files/v1/files.proto', service: 'FileService' },
  quotas: { package: 'lexy.quotas.v1', protoPath: 'lexy/quotas/v1/quotas.proto', service: 'QuotaService' },
  relay: { package: 'lexy.relay.v1', protoPath: 'lexy/relay/v1/relay.proto', service: 'RelayService' },
} as const;

/** The standard health service every gRPC server of ours also serves. */
export const GRPC_HEALTH = {
  package: 'grpc.health.v1',
  protoPath: 'grpc/health/v1/health.proto',
  service: 'Health',
} as const;

export type GrpcServiceName = keyof typeof GRPC_SERVICES;

/** The maintenance services beside the domain ones, on the same servers: only the cleanup worker calls them. */
export const GRPC_MAINTENANCE_SERVICES = {
  files: 'FileLifecycleService',
  quotas: 'StorageMaintenanceService',
  relay: 'RelayMaintenanceService',
} as const satisfies Partial<Record<GrpcServiceName, string>>;

/** The admin services beside the domain ones, on the same servers: only the gateway's admin routes call them. */
export const GRPC_ADMIN_SERVICES = {
  auth: 'UserAdminService',
  files: 'FileAdminService',
  quotas: 'GroupAdminService',
} as const satisfies Partial<Record<GrpcServiceName, string>>;

export { fromTimestamp, toTimestamp } from './timestamp.js';
export type { Timestamp } from './generated/google/protobuf/timestamp.js';

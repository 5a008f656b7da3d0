import {
  authV1,
  filesV1,
  GRPC_ADMIN_SERVICES,
  GRPC_HEALTH,
  GRPC_SERVICES,
  healthV1,
  quotasV1,
  relayV1,
  type GrpcServiceName,
} from '@lexy/contracts-grpc';
import { grpcClientOptions, toPromiseClient, type PromiseClient } from '@lexy/server-grpc';
import type { Provider } from '@nestjs/common';
import { ClientProxyFactory, type ClientGrpc } from '@nestjs/microservices';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config.js';

export type AuthClient = PromiseClient<authV1.AuthServiceClient>;
export type FilesClient = PromiseClient<filesV1.FileServiceClient>;
export type QuotasClient = PromiseClient<quotasV1.QuotaServiceClient>;
export type RelayClient = PromiseClient<relayV1.RelayServiceClient>;
export type HealthClient = PromiseClient<healthV1.HealthClient>;
export type UserAdminClient = PromiseClient<authV1.UserAdminServiceClient>;
export type FileAdminClient = PromiseClient<filesV1.FileAdminServiceClient>;
export type GroupAdminClient = PromiseClient<quotasV1.GroupAdminServiceClient>;

export const AUTH_CLIENT = Symbol('AUTH_CLIENT');
export const FILES_CLIENT = Symbol('FILES_CLIENT');
export const QUOTAS_CLIENT = Symbol('QUOTAS_CLIENT');
export const RELAY_CLIENT = Symbol('RELAY_CLIENT');
export const USER_ADMIN_CLIENT = Symbol('USER_ADMIN_CLIENT');
export const FILE_ADMIN_CLIENT = Symbol('FILE_ADMIN_CLIENT');
export const GROUP_ADMIN_CLIENT = Symbol('GROUP_ADMIN_CLIENT');
/** Health clients of every service the gateway needs, by service name. */
export const HEALTH_CLIENTS = Symbol('HEALTH_CLIENTS');

const ADDRESS_KEY: Record<GrpcServiceName, keyof GatewayConfig> = {
  auth: 'AUTH_GRPC_ADDRESS',
  files: 'FILES_GRPC_ADDRESS',
  quotas: 'QUOTAS_GRPC_ADDRESS',
  relay: 'RELAY_GRPC_ADDRESS',
};

/** One connection per service: its domain client and its health client share it. */
const CONNECTIONS = Symbol('GRPC_CONNECTIONS');
type Connections = Record<GrpcServiceName, ClientGrpc>;

function connect(config: GatewayConfig, service: GrpcServiceName): ClientGrpc {
  return ClientProxyFactory.create(
    grpcClientOptions(service, String(config[ADDRESS_KEY[service]])),
  ) as unknown as ClientGrpc;
}

function serviceClientProvider(
  token: symbol,
  service: GrpcServiceName,
  serviceName: string = GRPC_SERVICES[service].service,
): Provider {
  return {
    provide: token,
    inject: [CONNECTIONS],
    useFactory: (connections: Connections) => toPromiseClient(connections[service].getService<object>(serviceName)),
  };
}

export const grpcClientProviders: Provider[] = [
  {
    provide: CONNECTIONS,
    inject: [GATEWAY_CONFIG],
    useFactory: (config: GatewayConfig): Connections => ({
      auth: connect(config, 'auth'),
      files: connect(config, 'files'),
      quotas: connect(config, 'quotas'),
      relay: connect(config, 'relay'),
    }),
  },
  serviceClientProvider(AUTH_CLIENT, 'auth'),
  serviceClientProvider(FILES_CLIENT, 'files'),
  serviceClientProvider(QUOTAS_CLIENT, 'quotas'),
  serviceClientProvider(RELAY_CLIENT, 'relay'),
  serviceClientProvider(USER_ADMIN_CLIENT, 'auth', GRPC_ADMIN_SERVICES.auth),
  serviceClientProvider(FILE_ADMIN_CLIENT, 'files', GRPC_ADMIN_SERVICES.files),
  serviceClientProvider(GROUP_ADMIN_CLIENT, 'quotas', GRPC_ADMIN_SERVICES.quotas),
  {
    provide: HEALTH_CLIENTS,
    inject: [CONNECTIONS],
    useFactory: (connections: Connections): Record<GrpcServiceName, HealthClient> => {
      const health = (service: GrpcServiceName) =>
        toPromiseClient(connections[service].getService<healthV1.HealthClient>(GRPC_HEALTH.service), {
          deadlineMs: 2_000,
        });
      return { auth: health('auth'), files: health('files'), quotas: health('quotas'), relay: health('relay') };
    },
  },
];

import { authV1, filesV1, GRPC_SERVICES, quotasV1 } from '@lexy/contracts-grpc';
import { grpcClientOptions, toPromiseClient, type PromiseClient } from '@lexy/server-grpc';
import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { ClientProxyFactory, type ClientGrpcProxy } from '@nestjs/microservices';
import { RELAY_CONFIG, type RelayConfig } from '../config/relay.config.js';

// The services the relay calls:
// - auth: sockets authenticate with access tokens only it can verify;
// - files: a `stored` offer names the sender's own uploaded files, and only the files service can
//   say whether an id is an active file of the caller (GetFile acts for the caller the relay's
//   own call came with, forwarded in its metadata by toPromiseClient);
// - quotas: the group limits behind the download speed on relayed bytes.
export type AuthClient = PromiseClient<authV1.AuthServiceClient>;
export type FilesClient = PromiseClient<filesV1.FileServiceClient>;
export type QuotasClient = PromiseClient<quotasV1.QuotaServiceClient>;

export const AUTH_CLIENT = Symbol('AUTH_CLIENT');
export const FILES_CLIENT = Symbol('FILES_CLIENT');
export const QUOTAS_CLIENT = Symbol('QUOTAS_CLIENT');

type CalledService = 'auth' | 'files' | 'quotas';
const ADDRESS_KEY = {
  auth: 'AUTH_GRPC_ADDRESS',
  files: 'FILES_GRPC_ADDRESS',
  quotas: 'QUOTAS_GRPC_ADDRESS',
} as const satisfies Record<CalledService, keyof RelayConfig>;

const CONNECTIONS = Symbol('GRPC_CONNECTIONS');
type Connections = Record<CalledService, ClientGrpcProxy>;

const connect = (config: RelayConfig, service: CalledService) =>
  ClientProxyFactory.create(grpcClientOptions(service, config[ADDRESS_KEY[service]])) as unknown as ClientGrpcProxy;

/** Closes the connections when the relay stops. */
@Injectable()
export class GrpcConnectionsCloser implements OnApplicationShutdown {
  constructor(@Inject(CONNECTIONS) private readonly connections: Connections) {}

  onApplicationShutdown(): void {
    for (const connection of Object.values(this.connections)) connection.close();
  }
}

function serviceClientProvider(token: symbol, service: CalledService): Provider {
  return {
    provide: token,
    inject: [CONNECTIONS],
    useFactory: (connections: Connections) =>
      toPromiseClient(connections[service].getService<object>(GRPC_SERVICES[service].service)),
  };
}

export const grpcClientProviders: Provider[] = [
  {
    provide: CONNECTIONS,
    inject: [RELAY_CONFIG],
    useFactory: (config: RelayConfig): Connections => ({
      auth: connect(config, 'auth'),
      files: connect(config, 'files'),
      quotas: connect(config, 'quotas'),
    }),
  },
  serviceClientProvider(AUTH_CLIENT, 'auth'),
  serviceClientProvider(FILES_CLIENT, 'files'),
  serviceClientProvider(QUOTAS_CLIENT, 'quotas'),
  GrpcConnectionsCloser,
];

import { GRPC_SERVICES, quotasV1 } from '@lexy/contracts-grpc';
import { grpcClientOptions, toPromiseClient, type PromiseClient } from '@lexy/server-grpc';
import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { ClientProxyFactory, type ClientGrpcProxy } from '@nestjs/microservices';
import { RELAY_CONFIG, type RelayConfig } from '../config/relay.config.js';

export type QuotasClient = PromiseClient<quotasV1.QuotaServiceClient>;

/** The quotas service's client: the group's download speed applies to relayed bytes too. */
export const QUOTAS_CLIENT = Symbol('QUOTAS_CLIENT');
const QUOTAS_CONNECTION = Symbol('QUOTAS_CONNECTION');

/** Closes the connection to the quotas service when the relay stops. */
@Injectable()
export class QuotasConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(QUOTAS_CONNECTION) private readonly connection: ClientGrpcProxy) {}

  onApplicationShutdown(): void {
    this.connection.close();
  }
}

export const quotasClientProviders: Provider[] = [
  {
    provide: QUOTAS_CONNECTION,
    inject: [RELAY_CONFIG],
    useFactory: (config: RelayConfig) =>
      ClientProxyFactory.create(grpcClientOptions('quotas', config.QUOTAS_GRPC_ADDRESS)) as unknown as ClientGrpcProxy,
  },
  {
    provide: QUOTAS_CLIENT,
    inject: [QUOTAS_CONNECTION],
    useFactory: (connection: ClientGrpcProxy): QuotasClient =>
      toPromiseClient(connection.getService<quotasV1.QuotaServiceClient>(GRPC_SERVICES.quotas.service)),
  },
  QuotasConnectionCloser,
];

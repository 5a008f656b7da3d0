import { authV1, GRPC_SERVICES } from '@lexy/contracts-grpc';
import { grpcClientOptions, toPromiseClient, type PromiseClient } from '@lexy/server-grpc';
import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { ClientProxyFactory, type ClientGrpcProxy } from '@nestjs/microservices';
import { RELAY_CONFIG, type RelayConfig } from '../config/relay.config.js';

export type AuthClient = PromiseClient<authV1.AuthServiceClient>;

/** The auth service's client: sockets authenticate with access tokens only it can verify. */
export const AUTH_CLIENT = Symbol('AUTH_CLIENT');
const AUTH_CONNECTION = Symbol('AUTH_CONNECTION');

/** Closes the connection to the auth service when the relay stops. */
@Injectable()
export class AuthConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(AUTH_CONNECTION) private readonly connection: ClientGrpcProxy) {}

  onApplicationShutdown(): void {
    this.connection.close();
  }
}

export const authClientProviders: Provider[] = [
  {
    provide: AUTH_CONNECTION,
    inject: [RELAY_CONFIG],
    useFactory: (config: RelayConfig) =>
      ClientProxyFactory.create(grpcClientOptions('auth', config.AUTH_GRPC_ADDRESS)) as unknown as ClientGrpcProxy,
  },
  {
    provide: AUTH_CLIENT,
    inject: [AUTH_CONNECTION],
    useFactory: (connection: ClientGrpcProxy): AuthClient =>
      toPromiseClient(connection.getService<authV1.AuthServiceClient>(GRPC_SERVICES.auth.service)),
  },
  AuthConnectionCloser,
];

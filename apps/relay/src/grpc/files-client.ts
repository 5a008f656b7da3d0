import { filesV1, GRPC_SERVICES } from '@lexy/contracts-grpc';
import { grpcClientOptions, toPromiseClient, type PromiseClient } from '@lexy/server-grpc';
import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { ClientProxyFactory, type ClientGrpcProxy } from '@nestjs/microservices';
import { RELAY_CONFIG, type RelayConfig } from '../config/relay.config.js';

export type FilesClient = PromiseClient<filesV1.FileServiceClient>;

/**
 * The files service's client: a `stored` offer names the sender's own uploaded files, and only
 * the files service can say whether an id is an active file of the caller (GetFile acts for the
 * caller the relay's own call came with, forwarded in its metadata by toPromiseClient).
 */
export const FILES_CLIENT = Symbol('FILES_CLIENT');
const FILES_CONNECTION = Symbol('FILES_CONNECTION');

/** Closes the connection to the files service when the relay stops. */
@Injectable()
export class FilesConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(FILES_CONNECTION) private readonly connection: ClientGrpcProxy) {}

  onApplicationShutdown(): void {
    this.connection.close();
  }
}

export const filesClientProviders: Provider[] = [
  {
    provide: FILES_CONNECTION,
    inject: [RELAY_CONFIG],
    useFactory: (config: RelayConfig) =>
      ClientProxyFactory.create(grpcClientOptions('files', config.FILES_GRPC_ADDRESS)) as unknown as ClientGrpcProxy,
  },
  {
    provide: FILES_CLIENT,
    inject: [FILES_CONNECTION],
    useFactory: (connection: ClientGrpcProxy): FilesClient =>
      toPromiseClient(connection.getService<filesV1.FileServiceClient>(GRPC_SERVICES.files.service)),
  },
  FilesConnectionCloser,
];

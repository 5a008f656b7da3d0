import { GRPC_ADMIN_SERVICES, GRPC_SERVICES, type authV1, type quotasV1 } from '@lexy/contracts-grpc';
import { grpcClientOptions, toPromiseClient } from '@lexy/server-grpc';
import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { ClientProxyFactory, Transport, type ClientGrpcProxy } from '@nestjs/microservices';
import type { FilesConfig } from '../config/files.config.js';
import { FILES_CONFIG } from '../config/files.config.js';
import {
  CALLER_TOKEN_SECRET,
  DOWNLOAD_TICKETS,
  PICKUP_CODE_SPACE,
  CLOCK,
  QUOTAS_CLIENT,
  USERS_CLIENT,
  type QuotasClient,
  type UsersClient,
} from './files.dependencies.js';
import { systemClock } from './clock.js';
import { DownloadTickets } from './download-ticket.js';
import { PickupCodeCipher } from './pickup-code-cipher.js';
import { DEFAULT_CODE_SPACE, type PickupCodeSpace } from './pickup-code.js';

/** Collaborators a test may replace; anything left out gets the real one. */
export interface FilesOverrides {
  quotas?: QuotasClient;
  users?: UsersClient;
  codeSpace?: PickupCodeSpace;
}

/** Owns the gRPC channel to the quotas service, so it closes with the application. */
@Injectable()
export class QuotasConnection implements OnApplicationShutdown {
  readonly client: QuotasClient;
  private readonly proxy: ClientGrpcProxy;

  constructor(@Inject(FILES_CONFIG) config: FilesConfig) {
    // Spelling out the transport picks the factory overload that returns a gRPC proxy.
    const options = grpcClientOptions('quotas', config.QUOTAS_GRPC_ADDRESS);
    this.proxy = ClientProxyFactory.create({ ...options, transport: Transport.GRPC });
    const service = this.proxy.getService<quotasV1.QuotaServiceClient>(GRPC_SERVICES.quotas.service);
    this.client = toPromiseClient(service);
  }

  onApplicationShutdown(): void {
    this.proxy.close();
  }
}

/** Owns the gRPC channel to the auth service's user directory, so it closes with the application. */
@Injectable()
export class UsersConnection implements OnApplicationShutdown {
  readonly client: UsersClient;
  private readonly proxy: ClientGrpcProxy;

  constructor(@Inject(FILES_CONFIG) config: FilesConfig) {
    const options = grpcClientOptions('auth', config.AUTH_GRPC_ADDRESS);
    this.proxy = ClientProxyFactory.create({ ...options, transport: Transport.GRPC });
    const service = this.proxy.getService<authV1.UserAdminServiceClient>(GRPC_ADMIN_SERVICES.auth);
    this.client = toPromiseClient(service);
  }

  onApplicationShutdown(): void {
    this.proxy.close();
  }
}

export function filesProviders(overrides: FilesOverrides = {}): Provider[] {
  return [
    {
      provide: PickupCodeCipher,
      inject: [FILES_CONFIG],
      useFactory: (config: FilesConfig) =>
        new PickupCodeCipher(config.FILES_CODE_PEPPER, config.FILES_CODE_ENCRYPTION_KEY),
    },
    { provide: PICKUP_CODE_SPACE, useValue: overrides.codeSpace ?? DEFAULT_CODE_SPACE },
    { provide: CLOCK, useValue: systemClock },
    {
      provide: DOWNLOAD_TICKETS,
      inject: [FILES_CONFIG],
      // Its own key, derived from the pepper (HKDF), so no further secret needs configuring.
      useFactory: (config: FilesConfig) => new DownloadTickets(config.FILES_CODE_PEPPER, systemClock),
    },
    {
      provide: CALLER_TOKEN_SECRET,
      inject: [FILES_CONFIG],
      useFactory: (config: FilesConfig) => config.INTERNAL_CALLER_SECRET,
    },
    ...(overrides.quotas
      ? [{ provide: QUOTAS_CLIENT, useValue: overrides.quotas }]
      : [
          QuotasConnection,
          { provide: QUOTAS_CLIENT, inject: [QuotasConnection], useFactory: (c: QuotasConnection) => c.client },
        ]),
    ...(overrides.users
      ? [{ provide: USERS_CLIENT, useValue: overrides.users }]
      : [
          UsersConnection,
          { provide: USERS_CLIENT, inject: [UsersConnection], useFactory: (c: UsersConnection) => c.client },
        ]),
  ];
}

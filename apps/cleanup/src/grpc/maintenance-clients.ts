import { GRPC_MAINTENANCE_SERVICES, type filesV1, type quotasV1, type relayV1 } from '@lexy/contracts-grpc';
import { grpcClientOptions, serviceCaller, toPromiseClient, type Caller } from '@lexy/server-grpc';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ClientProxyFactory, Transport, type ClientGrpcProxy } from '@nestjs/microservices';
import { CLEANUP_CONFIG, type CleanupConfig } from '../config/cleanup.config.js';
import type { FileLifecycle, RelayMaintenance, StorageMaintenance } from '../dependencies.js';
import { actingAs } from './acting-as.js';

/** Who the worker is to the services: a platform service, never a person (IDENTITY_KIND_SERVICE). */
export const CLEANUP_CALLER: Caller = serviceCaller('cleanup');

/**
 * Maintenance calls act on up to 1000 rows (and recompute up to 1000 accounts): longer than a
 * request of a person, and a failed call only fails one run, which the next tick repeats.
 */
const MAINTENANCE_DEADLINE_MS = 30_000;

/** The gRPC channels to the files, quotas and relay services; they close with the application. */
@Injectable()
export class MaintenanceConnections implements OnApplicationShutdown {
  readonly files: FileLifecycle;
  readonly quotas: StorageMaintenance;
  readonly relay: RelayMaintenance;
  private readonly proxies: ClientGrpcProxy[];

  constructor(@Inject(CLEANUP_CONFIG) config: CleanupConfig) {
    // Spelling out the transport picks the factory overload that returns a gRPC proxy.
    const connect = (service: keyof typeof GRPC_MAINTENANCE_SERVICES, address: string) =>
      ClientProxyFactory.create({ ...grpcClientOptions(service, address), transport: Transport.GRPC });
    const files = connect('files', config.FILES_GRPC_ADDRESS);
    const quotas = connect('quotas', config.QUOTAS_GRPC_ADDRESS);
    const relay = connect('relay', config.RELAY_GRPC_ADDRESS);
    this.proxies = [files, quotas, relay];
    const asCleanup = <T extends object>(client: T) => actingAs(client, CLEANUP_CALLER, config.INTERNAL_CALLER_SECRET);
    const options = { deadlineMs: MAINTENANCE_DEADLINE_MS };
    this.files = asCleanup(
      toPromiseClient(files.getService<filesV1.FileLifecycleServiceClient>(GRPC_MAINTENANCE_SERVICES.files), options),
    );
    this.quotas = asCleanup(
      toPromiseClient(
        quotas.getService<quotasV1.StorageMaintenanceServiceClient>(GRPC_MAINTENANCE_SERVICES.quotas),
        options,
      ),
    );
    this.relay = asCleanup(
      toPromiseClient(
        relay.getService<relayV1.RelayMaintenanceServiceClient>(GRPC_MAINTENANCE_SERVICES.relay),
        options,
      ),
    );
  }

  onApplicationShutdown(): void {
    for (const proxy of this.proxies) proxy.close();
  }
}

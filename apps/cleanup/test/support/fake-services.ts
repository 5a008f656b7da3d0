import 'reflect-metadata';
import { filesV1, quotasV1, relayV1 } from '@lexy/contracts-grpc';
import { createGrpcMicroservice, requireServiceCaller } from '@lexy/server-grpc';
import { Controller, Inject, Module, type INestMicroservice } from '@nestjs/common';
import { createServer } from 'node:net';

/**
 * Stand-ins for the files service's FileLifecycleService, the quotas service's
 * StorageMaintenanceService and the relay service's RelayMaintenanceService, served over real gRPC (as the services do, with caller tokens
 * verified): each call is recorded with its caller, and answered by `answers` (mutable), or
 * as if there were nothing to do.
 */
export interface FakeServices {
  files: { address: string; answers: Partial<filesV1.FileLifecycleServiceController> };
  quotas: { address: string; answers: Partial<quotasV1.StorageMaintenanceServiceController> };
  relay: { address: string; answers: Partial<relayV1.RelayMaintenanceServiceController> };
  /** `<service>.<method>` with the owner id of the verified caller, in call order. */
  calls: { method: string; callerId: string; request: unknown }[];
  close(): Promise<void>;
}

const STATE = Symbol('STATE');

interface State {
  calls: FakeServices['calls'];
  files: FakeServices['files']['answers'];
  quotas: FakeServices['quotas']['answers'];
  relay: FakeServices['relay']['answers'];
}

type FakeService = 'files' | 'quotas' | 'relay';

function handle(state: State, service: FakeService, method: string, request: unknown, fallback: unknown) {
  const caller = requireServiceCaller();
  state.calls.push({ method: `${service}.${method}`, callerId: caller.ownerId, request });
  const answer = (state[service] as Record<string, ((request: unknown) => unknown) | undefined>)[method];
  return answer ? answer(request) : fallback;
}

@Controller()
@filesV1.FileLifecycleServiceControllerMethods()
class FakeFileLifecycle implements filesV1.FileLifecycleServiceController {
  constructor(@Inject(STATE) private readonly state: State) {}
  expireDue(request: filesV1.ExpireDueRequest) {
    return handle(this.state, 'files', 'expireDue', request, { expired: 0 }) as filesV1.ExpireDueResponse;
  }
  claimPurge(request: filesV1.ClaimPurgeRequest) {
    return handle(this.state, 'files', 'claimPurge', request, { files: [] }) as filesV1.ClaimPurgeResponse;
  }
  finishPurge(request: filesV1.FinishPurgeRequest) {
    return handle(this.state, 'files', 'finishPurge', request, { deleted: 0 }) as filesV1.FinishPurgeResponse;
  }
  listExpiredUploads(request: filesV1.ListExpiredUploadsRequest) {
    return handle(this.state, 'files', 'listExpiredUploads', request, {
      uploads: [],
    }) as filesV1.ListExpiredUploadsResponse;
  }
  deleteUploads(request: filesV1.DeleteUploadsRequest) {
    return handle(this.state, 'files', 'deleteUploads', request, { deleted: 0 }) as filesV1.DeleteUploadsResponse;
  }
  listObjectRefs(request: filesV1.ListObjectRefsRequest) {
    return handle(this.state, 'files', 'listObjectRefs', request, { refs: [] }) as filesV1.ListObjectRefsResponse;
  }
  findUploads(request: filesV1.FindUploadsRequest) {
    return handle(this.state, 'files', 'findUploads', request, { uploadIds: [] }) as filesV1.FindUploadsResponse;
  }
  markObjectsMissing(request: filesV1.MarkObjectsMissingRequest) {
    return handle(this.state, 'files', 'markObjectsMissing', request, {
      marked: 0,
    }) as filesV1.MarkObjectsMissingResponse;
  }
}

@Controller()
@quotasV1.StorageMaintenanceServiceControllerMethods()
class FakeStorageMaintenance implements quotasV1.StorageMaintenanceServiceController {
  constructor(@Inject(STATE) private readonly state: State) {}
  releaseStoredFiles(request: quotasV1.ReleaseStoredFilesRequest) {
    return handle(this.state, 'quotas', 'releaseStoredFiles', request, {
      released: 0,
      releasedBytes: 0,
    }) as quotasV1.ReleaseStoredFilesResponse;
  }
  releaseReservations(request: quotasV1.ReleaseReservationsRequest) {
    return handle(this.state, 'quotas', 'releaseReservations', request, {
      released: 0,
    }) as quotasV1.ReleaseReservationsResponse;
  }
  releaseExpiredReservations(request: quotasV1.ReleaseExpiredReservationsRequest) {
    return handle(this.state, 'quotas', 'releaseExpiredReservations', request, {
      released: 0,
    }) as quotasV1.ReleaseExpiredReservationsResponse;
  }
  recomputeStorage(request: quotasV1.RecomputeStorageRequest) {
    return handle(this.state, 'quotas', 'recomputeStorage', request, {
      checked: 0,
      corrected: 0,
      nextAfterAccountId: '',
    }) as quotasV1.RecomputeStorageResponse;
  }
}

@Controller()
@relayV1.RelayMaintenanceServiceControllerMethods()
class FakeRelayMaintenance implements relayV1.RelayMaintenanceServiceController {
  constructor(@Inject(STATE) private readonly state: State) {}
  expireOffers(request: relayV1.ExpireOffersRequest) {
    return handle(this.state, 'relay', 'expireOffers', request, { transfers: [] }) as relayV1.ExpireOffersResponse;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startFakeServices(callerSecret: string): Promise<FakeServices> {
  const state: State = { calls: [], files: {}, quotas: {}, relay: {} };
  const servers: INestMicroservice[] = [];
  const serve = async (service: FakeService, controller: new (...args: never[]) => object) => {
    @Module({ controllers: [controller], providers: [{ provide: STATE, useValue: state }] })
    class FakeModule {}
    const address = `127.0.0.1:${await freePort()}`;
    const app = await createGrpcMicroservice(
      service,
      { module: FakeModule },
      { address, callerSecret, logLevel: 'silent' },
    );
    await app.listen();
    servers.push(app);
    return address;
  };
  return {
    files: { address: await serve('files', FakeFileLifecycle), answers: state.files },
    quotas: { address: await serve('quotas', FakeStorageMaintenance), answers: state.quotas },
    relay: { address: await serve('relay', FakeRelayMaintenance), answers: state.relay },
    calls: state.calls,
    close: async () => {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}

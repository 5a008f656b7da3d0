import { filesV1 } from '@lexy/contracts-grpc';
import { requireServiceCaller } from '@lexy/server-grpc';
import { Controller } from '@nestjs/common';
import { LifecycleService } from './lifecycle.service.js';

// Maintenance calls span every owner's files, so only a platform service may make them
// (FORBIDDEN for any other verified caller, UNAUTHENTICATED without one).
@Controller()
@filesV1.FileLifecycleServiceControllerMethods()
export class FileLifecycleController implements filesV1.FileLifecycleServiceController {
  constructor(private readonly lifecycle: LifecycleService) {}

  async expireDue(request: filesV1.ExpireDueRequest): Promise<filesV1.ExpireDueResponse> {
    requireServiceCaller();
    return this.lifecycle.expireDue(request);
  }

  async claimPurge(request: filesV1.ClaimPurgeRequest): Promise<filesV1.ClaimPurgeResponse> {
    requireServiceCaller();
    return this.lifecycle.claimPurge(request);
  }

  async finishPurge(request: filesV1.FinishPurgeRequest): Promise<filesV1.FinishPurgeResponse> {
    requireServiceCaller();
    return this.lifecycle.finishPurge(request);
  }

  async listExpiredUploads(request: filesV1.ListExpiredUploadsRequest): Promise<filesV1.ListExpiredUploadsResponse> {
    requireServiceCaller();
    return this.lifecycle.listExpiredUploads(request);
  }

  async deleteUploads(request: filesV1.DeleteUploadsRequest): Promise<filesV1.DeleteUploadsResponse> {
    requireServiceCaller();
    return this.lifecycle.deleteUploads(request);
  }

  async listObjectRefs(request: filesV1.ListObjectRefsRequest): Promise<filesV1.ListObjectRefsResponse> {
    requireServiceCaller();
    return this.lifecycle.listObjectRefs(request);
  }

  async findUploads(request: filesV1.FindUploadsRequest): Promise<filesV1.FindUploadsResponse> {
    requireServiceCaller();
    return this.lifecycle.findUploads(request);
  }

  async markObjectsMissing(request: filesV1.MarkObjectsMissingRequest): Promise<filesV1.MarkObjectsMissingResponse> {
    requireServiceCaller();
    return this.lifecycle.markObjectsMissing(request);
  }
}

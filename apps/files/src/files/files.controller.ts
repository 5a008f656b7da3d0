import { filesV1 } from '@lexy/contracts-grpc';
import { Controller } from '@nestjs/common';
import { requireOwner } from './caller.js';
import { FilesService } from './files.service.js';
import { PickupService } from './pickup.service.js';

// Owner-scoped calls take the owner from the verified caller token only; pickups and
// download claims are anonymous by design (whoever holds the code).
@Controller()
@filesV1.FileServiceControllerMethods()
export class FilesController implements filesV1.FileServiceController {
  constructor(
    private readonly files: FilesService,
    private readonly pickups: PickupService,
  ) {}

  async beginUpload(request: filesV1.BeginUploadRequest): Promise<filesV1.BeginUploadResponse> {
    return this.files.beginUpload(requireOwner(), request);
  }

  async commitUpload(request: filesV1.CommitUploadRequest): Promise<filesV1.CommitUploadResponse> {
    return this.files.commitUpload(requireOwner(), request);
  }

  async abortUpload(request: filesV1.AbortUploadRequest): Promise<filesV1.AbortUploadResponse> {
    return this.files.abortUpload(requireOwner(), request);
  }

  async resolvePickupCode(request: filesV1.ResolvePickupCodeRequest): Promise<filesV1.ResolvePickupCodeResponse> {
    return this.pickups.resolvePickupCode(request);
  }

  async getFile(request: filesV1.GetFileRequest): Promise<filesV1.GetFileResponse> {
    return this.files.getFile(requireOwner(), request);
  }

  async listFiles(request: filesV1.ListFilesRequest): Promise<filesV1.ListFilesResponse> {
    return this.files.listFiles(requireOwner(), request);
  }

  async deleteFile(request: filesV1.DeleteFileRequest): Promise<filesV1.DeleteFileResponse> {
    return this.files.deleteFile(requireOwner(), request);
  }

  async restoreFile(request: filesV1.RestoreFileRequest): Promise<filesV1.RestoreFileResponse> {
    return this.files.restoreFile(requireOwner(), request);
  }

  async claimDownload(request: filesV1.ClaimDownloadRequest): Promise<filesV1.ClaimDownloadResponse> {
    return this.pickups.claimDownload(request);
  }

  async reopenPin(request: filesV1.ReopenPinRequest): Promise<filesV1.ReopenPinResponse> {
    return this.files.reopenPin(requireOwner(), request);
  }

  async adoptFiles(request: filesV1.AdoptFilesRequest): Promise<filesV1.AdoptFilesResponse> {
    return this.files.adoptFiles(requireOwner(), request);
  }
}

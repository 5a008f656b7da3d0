import { filesV1 } from '@lexy/contracts-grpc';
import { Controller } from '@nestjs/common';
import { FilesService } from './files.service.js';

@Controller()
@filesV1.FileServiceControllerMethods()
export class FilesController implements filesV1.FileServiceController {
  constructor(private readonly files: FilesService) {}

  beginUpload(request: filesV1.BeginUploadRequest): Promise<filesV1.BeginUploadResponse> {
    return this.files.beginUpload(request);
  }

  commitUpload(request: filesV1.CommitUploadRequest): Promise<filesV1.CommitUploadResponse> {
    return this.files.commitUpload(request);
  }

  abortUpload(request: filesV1.AbortUploadRequest): Promise<filesV1.AbortUploadResponse> {
    return this.files.abortUpload(request);
  }

  resolvePickupCode(request: filesV1.ResolvePickupCodeRequest): Promise<filesV1.ResolvePickupCodeResponse> {
    return this.files.resolvePickupCode(request);
  }

  getFile(request: filesV1.GetFileRequest): Promise<filesV1.GetFileResponse> {
    return this.files.getFile(request);
  }

  listFiles(request: filesV1.ListFilesRequest): Promise<filesV1.ListFilesResponse> {
    return this.files.listFiles(request);
  }

  deleteFile(request: filesV1.DeleteFileRequest): Promise<filesV1.DeleteFileResponse> {
    return this.files.deleteFile(request);
  }

  recordDownload(request: filesV1.RecordDownloadRequest): Promise<filesV1.RecordDownloadResponse> {
    return this.files.recordDownload(request);
  }
}

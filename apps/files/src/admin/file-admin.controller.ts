import { filesV1 } from '@lexy/contracts-grpc';
import { requireAdminCaller } from '@lexy/server-grpc';
import { Controller } from '@nestjs/common';
import { FileAdminService } from './file-admin.service.js';

// Every call spans every owner's files, so each first checks the verified caller: a user of
// group admin (ADMIN_REQUIRED for anyone else, UNAUTHENTICATED without a caller), whatever
// the gateway's own guard did.
@Controller()
@filesV1.FileAdminServiceControllerMethods()
export class FileAdminController implements filesV1.FileAdminServiceController {
  constructor(private readonly admin: FileAdminService) {}

  async adminListFiles(request: filesV1.AdminListFilesRequest): Promise<filesV1.AdminListFilesResponse> {
    requireAdminCaller();
    return this.admin.listFiles(request);
  }

  async adminDeleteFile(request: filesV1.AdminDeleteFileRequest): Promise<filesV1.AdminDeleteFileResponse> {
    return this.admin.deleteFile(requireAdminCaller(), request);
  }

  async adminRestoreFile(request: filesV1.AdminRestoreFileRequest): Promise<filesV1.AdminRestoreFileResponse> {
    return this.admin.restoreFile(requireAdminCaller(), request);
  }

  async getFileStats(request: filesV1.GetFileStatsRequest): Promise<filesV1.GetFileStatsResponse> {
    requireAdminCaller();
    return this.admin.getFileStats(request);
  }

  async listAudit(request: filesV1.ListAuditRequest): Promise<filesV1.ListAuditResponse> {
    requireAdminCaller();
    return this.admin.listAudit(request);
  }
}

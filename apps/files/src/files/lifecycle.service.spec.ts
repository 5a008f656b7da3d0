import { jest } from '@jest/globals';
import { filesV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Logger } from '@nestjs/common';
import { strictMock, type StrictMock } from '../../test/support/strict-mock.js';
import type { FileChanges } from './file-changes.js';
import type { LifecycleRepository } from './lifecycle.repository.js';
import { LifecycleService } from './lifecycle.service.js';

const A = '0190f4a2-2222-7000-8000-00000000000a';
const B = '0190f4a2-2222-7000-8000-00000000000b';

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

describe('LifecycleService', () => {
  let repository: StrictMock<LifecycleRepository>;
  let changes: StrictMock<FileChanges>;
  let service: LifecycleService;

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(() => {
    repository = strictMock<LifecycleRepository>('repository');
    changes = strictMock<FileChanges>('changes');
    changes.announceMany.mockResolvedValue(undefined);
    service = new LifecycleService(repository, changes);
  });

  it('announces the files it expired', async () => {
    repository.expireDue.mockResolvedValue([A, B]);
    expect(await service.expireDue({ limit: 10 })).toEqual({ expired: 2 });
    expect(repository.expireDue).toHaveBeenCalledWith(10);
    expect(changes.announceMany).toHaveBeenCalledWith([A, B]);
  });

  it('claims every due file, or only the given ones, and announces only those that were not purging yet', async () => {
    repository.claimPurge.mockResolvedValue([
      { id: A, objectKey: 'files/A', newlyPurging: false },
      { id: B, objectKey: 'files/B', newlyPurging: true },
    ]);
    const response = await service.claimPurge({ limit: 5, leaseSeconds: 300, fileIds: [] });
    expect(response).toEqual({
      files: [
        { fileId: A, objectKey: 'files/A' },
        { fileId: B, objectKey: 'files/B' },
      ],
    });
    expect(repository.claimPurge).toHaveBeenCalledWith({ limit: 5, leaseSeconds: 300 });
    expect(changes.announceMany).toHaveBeenCalledWith([B]);

    await service.claimPurge({ limit: 1, leaseSeconds: 1, fileIds: [A.toUpperCase()] });
    expect(repository.claimPurge).toHaveBeenLastCalledWith({ limit: 1, leaseSeconds: 1, fileIds: [A] });
  });

  it.each([
    ['a limit of 0', { limit: 0, leaseSeconds: 60, fileIds: [] }],
    ['a limit of 1001', { limit: 1001, leaseSeconds: 60, fileIds: [] }],
    ['a lease of 0', { limit: 1, leaseSeconds: 0, fileIds: [] }],
    ['a malformed id', { limit: 1, leaseSeconds: 60, fileIds: ['nope'] }],
  ])('refuses a claim with %s before touching a row', async (_, request) => {
    expect((await rejection(service.claimPurge(request))).code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(repository.claimPurge).not.toHaveBeenCalled();
  });

  it('names what holds each object key', async () => {
    repository.listObjectRefs.mockResolvedValue([
      { objectKey: 'files/1', id: A, holder: 'file', sizeBytes: 10 },
      { objectKey: 'files/2', id: B, holder: 'purging', sizeBytes: 20 },
      { objectKey: 'files/3', id: A, holder: 'upload', sizeBytes: 0 },
    ]);
    const { refs } = await service.listObjectRefs({ afterKey: 'files/0', limit: 3 });
    expect(repository.listObjectRefs).toHaveBeenCalledWith('files/0', 3);
    expect(refs.map((ref) => ref.kind)).toEqual([
      filesV1.ObjectRefKind.OBJECT_REF_KIND_FILE,
      filesV1.ObjectRefKind.OBJECT_REF_KIND_PURGING,
      filesV1.ObjectRefKind.OBJECT_REF_KIND_UPLOAD,
    ]);
    expect(refs[1]).toEqual({
      objectKey: 'files/2',
      id: B,
      kind: filesV1.ObjectRefKind.OBJECT_REF_KIND_PURGING,
      sizeBytes: 20,
    });
  });

  it('announces and logs the files it marked missing, and only those', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    repository.markObjectsMissing.mockResolvedValue([B]);
    expect(await service.markObjectsMissing({ fileIds: [A, B] })).toEqual({ marked: 1 });
    expect(repository.markObjectsMissing).toHaveBeenCalledWith([A, B]);
    expect(changes.announceMany).toHaveBeenCalledWith([B]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toContain(B);
    warn.mockRestore();
  });

  it('lists expired uploads with their reservations', async () => {
    repository.listExpiredUploads.mockResolvedValue([{ id: A, objectKey: 'files/A', reservationId: 'r-1' }]);
    expect(await service.listExpiredUploads({ limit: 1000 })).toEqual({
      uploads: [{ uploadId: A, objectKey: 'files/A', reservationId: 'r-1' }],
    });
  });

  it('passes normalized ids to the deletions and lookups', async () => {
    repository.finishPurge.mockResolvedValue(1);
    repository.deleteUploads.mockResolvedValue(2);
    repository.findUploads.mockResolvedValue([A]);
    expect(await service.finishPurge({ fileIds: [A.toUpperCase(), A] })).toEqual({ deleted: 1 });
    expect(repository.finishPurge).toHaveBeenCalledWith([A]);
    expect(await service.deleteUploads({ uploadIds: [A, B] })).toEqual({ deleted: 2 });
    expect(await service.findUploads({ uploadIds: [A, B] })).toEqual({ uploadIds: [A] });
    expect((await rejection(service.findUploads({ uploadIds: ['x'] }))).details).toEqual({ field: 'uploadIds' });
  });
});

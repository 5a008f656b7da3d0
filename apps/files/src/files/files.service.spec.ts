import { commonV1, filesV1, quotasV1 } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import { signCallerToken } from '@lexy/server-grpc';
import { Logger } from '@nestjs/common';
import { strictMock, type StrictMock } from '../../test/support/strict-mock.js';
import type { Owner } from './caller.js';
import type { FileChanges } from './file-changes.js';
import type { FileEntity } from './file.entity.js';
import { REDEMPTION_MS } from './file-restore.js';
import type { QuotasClient } from './files.dependencies.js';
import type { PinHasher } from './pin-hasher.js';
import { DuplicatePickupCodeError, type FilesRepository } from './files.repository.js';
import { FilesService, MAX_CODE_ATTEMPTS } from './files.service.js';
import { PickupCodeCipher } from './pickup-code-cipher.js';
import { DEFAULT_CODE_SPACE } from './pickup-code.js';
import type { PurgeQueue } from './purge-queue.js';
import type { UploadEntity } from './upload.entity.js';

const owner: Owner = { ownerId: 'user-1', group: 'normal' };
const CALLER_SECRET = 'unit-caller-secret-0123456789abcdef';
const UPLOAD_ID = '0190f4a2-1111-7000-8000-000000000001';
const FILE_ID = '0190f4a2-2222-7000-8000-000000000002';
const SHA = 'ab'.repeat(32);
const NOW = new Date('2026-11-25T12:00:00.000Z');
const cipher = new PickupCodeCipher('unit-pepper-0123456789abcdef0123456789', 'unit-key-0123456789abcdef0123456789ab');

function committedFile(): FileEntity {
  return {
    id: FILE_ID,
    uploadId: UPLOAD_ID,
    ownerId: 'user-1',
    reservationId: 'res-1',
    name: 'a.txt',
    mimeType: 'text/plain',
    sizeBytes: 100,
    sha256: SHA,
    objectKey: 'files/01JDQZ8Y7W3M9K2V5X4T6R1P0N',
    codeHmac: cipher.hmac('ABC123'),
    codeCiphertext: cipher.encrypt('ABC123', FILE_ID),
    status: 'active',
    createdAt: NOW,
    expiresAt: null,
    purgeAt: null,
    downloads: 0,
    downloadLimit: null,
    pinHash: null,
    linkTokenHmac: cipher.linkTokenHmac('link-token-of-abc123'),
    linkTokenCiphertext: cipher.encryptLinkToken('link-token-of-abc123', FILE_ID),
    pinFailures: 0,
    pinWindowStartedAt: null,
    pinLockedUntil: null,
    pinFailuresTotal: 0,
    purgeClaimedAt: null,
    objectMissingAt: null,
  };
}

function upload(overrides: Partial<UploadEntity> = {}): UploadEntity {
  return {
    id: UPLOAD_ID,
    ownerId: owner.ownerId,
    ownerGroup: 'normal',
    name: 'a.txt',
    mimeType: 'text/plain',
    objectKey: 'files/01JDQZ8Y7W3M9K2V5X4T6R1P0N',
    reservationId: 'res-1',
    maxBytes: 1_000,
    downloadLimit: null,
    pinHash: null,
    createdAt: NOW,
    expiresAt: NOW,
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

describe('FilesService', () => {
  let repository: StrictMock<FilesRepository>;
  let quotas: StrictMock<QuotasClient>;
  let purgeQueue: StrictMock<PurgeQueue>;
  let pinHasher: StrictMock<PinHasher>;
  let changes: StrictMock<FileChanges>;
  const cipher = new PickupCodeCipher(
    'unit-pepper-0123456789abcdef0123456789',
    'unit-key-0123456789abcdef0123456789ab',
  );
  let service: FilesService;

  // The failures these tests provoke are logged on purpose; keep the output readable.
  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(() => {
    repository = strictMock<FilesRepository>('repository');
    quotas = strictMock<QuotasClient>('quotas');
    purgeQueue = strictMock<PurgeQueue>('purgeQueue');
    pinHasher = strictMock<PinHasher>('pinHasher');
    changes = strictMock<FileChanges>('changes');
    service = new FilesService(
      repository,
      cipher,
      quotas,
      DEFAULT_CODE_SPACE,
      CALLER_SECRET,
      pinHasher,
      { now: () => NOW },
      changes,
      purgeQueue,
    );
  });

  describe('beginUpload', () => {
    const request = (overrides: Partial<filesV1.BeginUploadRequest> = {}): filesV1.BeginUploadRequest => ({
      name: '../../etc/passwd',
      mimeType: 'text/plain',
      ...overrides,
    });

    it.each([
      ['a download limit of 0', { downloadLimit: 0 }],
      ['a download limit of 1001', { downloadLimit: 1001 }],
      ['a negative declared size', { declaredSizeBytes: -1 }],
      ['a PIN of 5 digits', { pin: '12345' }],
      ['a PIN of 13 digits', { pin: '1234567890123' }],
      ['a PIN that is not only digits', { pin: '12345a' }],
      ['an empty PIN', { pin: '' }],
      ['an upload expiry of 0 seconds', { expiresInSeconds: 0 }],
      ['a fractional upload expiry', { expiresInSeconds: 1.5 }],
    ])('rejects %s before reserving anything', async (_, overrides) => {
      const error = await rejection(service.beginUpload(owner, request(overrides)));
      expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
      expect(quotas.reserveStorage).not.toHaveBeenCalled();
      expect(pinHasher.hash).not.toHaveBeenCalled();
    });

    it.each(['123456', '123456789012'])('stores only the hash of the PIN %s on the upload', async (pin) => {
      quotas.reserveStorage.mockResolvedValue({ reservationId: 'res-1', limitedBy: 1 });
      pinHasher.hash.mockResolvedValue(`$argon2id$hash-of-${pin}`);
      repository.insertUpload.mockResolvedValue(undefined);
      await service.beginUpload(owner, request({ pin }));
      expect(pinHasher.hash).toHaveBeenCalledWith(pin);
      const stored = repository.insertUpload.mock.calls[0]![0];
      expect(stored.pinHash).toBe(`$argon2id$hash-of-${pin}`);
      expect(JSON.stringify(stored)).not.toContain(`"${pin}"`);
    });

    it('passes the quota errors through unchanged', async () => {
      quotas.reserveStorage.mockRejectedValue(new DomainError(ErrorCode.STORAGE_QUOTA_EXCEEDED, 'Storage full'));
      const error = await rejection(service.beginUpload(owner, request({ declaredSizeBytes: 10 })));
      expect(error.code).toBe(ErrorCode.STORAGE_QUOTA_EXCEEDED);
      expect(error.message).toBe('Storage full');
    });

    it('makes the object key itself and stores the cleaned name', async () => {
      quotas.reserveStorage.mockResolvedValue({
        reservationId: 'res-1',
        reservedBytes: 500,
        limitedBy: quotasV1.LimitKind.LIMIT_KIND_STORAGE,
      });
      repository.insertUpload.mockResolvedValue(undefined);
      const response = await service.beginUpload(owner, request({ declaredSizeBytes: 500, downloadLimit: 3 }));
      expect(response.objectKey).toMatch(/^files\/[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(response).toEqual(
        expect.objectContaining({ maxBytes: 500, overLimitCode: ErrorCode.STORAGE_QUOTA_EXCEEDED }),
      );
      expect(quotas.reserveStorage).toHaveBeenCalledWith({ requestedBytes: 500 });
      expect(repository.insertUpload).toHaveBeenCalledWith(
        expect.objectContaining({
          id: response.uploadId,
          name: '_.._etc_passwd',
          objectKey: response.objectKey,
          reservationId: 'res-1',
          maxBytes: 500,
          downloadLimit: 3,
          ownerGroup: 'normal',
          pinHash: null,
        }),
        24 * 3600,
      );
    });

    it.each([
      [1, 1],
      [600, 600],
      [24 * 3600 + 1, 24 * 3600],
    ])('lets an upload ask to expire in %i s (at most 24 hours): %i s', async (expiresInSeconds, ttlSeconds) => {
      quotas.reserveStorage.mockResolvedValue({ reservationId: 'res-1', limitedBy: 1 });
      repository.insertUpload.mockResolvedValue(undefined);
      await service.beginUpload(owner, request({ expiresInSeconds }));
      expect(repository.insertUpload).toHaveBeenCalledWith(expect.anything(), ttlSeconds);
    });

    it('has no max bytes and answers FILE_TOO_LARGE when not limited by storage', async () => {
      quotas.reserveStorage.mockResolvedValue({
        reservationId: 'res-1',
        limitedBy: quotasV1.LimitKind.LIMIT_KIND_UNSPECIFIED,
      });
      repository.insertUpload.mockResolvedValue(undefined);
      const response = await service.beginUpload(owner, request());
      expect(response).not.toHaveProperty('maxBytes');
      expect(response.overLimitCode).toBe(ErrorCode.FILE_TOO_LARGE);
    });

    it('releases the reservation when the upload row cannot be written', async () => {
      quotas.reserveStorage.mockResolvedValue({ reservationId: 'res-9', limitedBy: 1 });
      repository.insertUpload.mockRejectedValue(new Error('db down'));
      quotas.releaseReservation.mockResolvedValue({});
      await expect(service.beginUpload(owner, request())).rejects.toThrow('db down');
      expect(quotas.releaseReservation).toHaveBeenCalledWith({ reservationId: 'res-9' });
    });
  });

  describe('commitUpload', () => {
    const request = (overrides: Partial<filesV1.CommitUploadRequest> = {}): filesV1.CommitUploadRequest => ({
      uploadId: UPLOAD_ID,
      sizeBytes: 100,
      sha256: SHA,
      ...overrides,
    });

    function fresh(retentionSeconds?: number) {
      repository.findFileByUploadId.mockResolvedValue(null);
      repository.findUpload.mockResolvedValue(upload());
      repository.now.mockResolvedValue(NOW);
      quotas.getGroupLimits.mockResolvedValue({
        limits: { group: 'normal', trafficWindow: 0, ...(retentionSeconds ? { retentionSeconds } : {}) },
      });
      quotas.settleReservation.mockResolvedValue({ usage: undefined });
    }

    it('records the file with retention from the group, then settles', async () => {
      fresh(3600);
      repository.commitUpload.mockResolvedValue('committed');
      const { file } = await service.commitUpload(owner, request());
      const stored = repository.commitUpload.mock.calls[0]![1];
      expect(file).toEqual(
        expect.objectContaining({ sizeBytes: 100, sha256: SHA, status: filesV1.FileStatus.FILE_STATUS_ACTIVE }),
      );
      expect(file?.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{6}$/);
      expect(stored.expiresAt).toEqual(new Date(NOW.getTime() + 3_600_000));
      expect(stored.purgeAt).toEqual(new Date(NOW.getTime() + 3_600_000 + REDEMPTION_MS));
      expect(stored.codeHmac).toBe(cipher.hmac(file!.code));
      expect(stored.codeCiphertext).not.toContain(file!.code);
      // A 128-bit share-link token, kept as its HMAC and the owner's encrypted copy.
      expect(file?.linkToken).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(Buffer.from(file!.linkToken!, 'base64url')).toHaveLength(16);
      expect(stored.linkTokenHmac).toBe(cipher.linkTokenHmac(file!.linkToken!));
      expect(stored.linkTokenCiphertext).not.toContain(file!.linkToken!);
      expect(cipher.decryptLinkToken(stored.linkTokenCiphertext!, stored.id)).toBe(file!.linkToken);
      expect(file).toEqual(expect.objectContaining({ pinProtected: false, pinLocked: false }));
      expect(quotas.getGroupLimits).toHaveBeenCalledWith({ group: 'normal' });
      expect(quotas.settleReservation).toHaveBeenCalledWith({
        reservationId: 'res-1',
        fileId: stored.id,
        actualBytes: 100,
      });
    });

    it('carries the upload’s PIN hash over to the file', async () => {
      fresh();
      repository.findUpload.mockResolvedValue(upload({ pinHash: '$argon2id$v=19$m=19456,t=2,p=1$x$y' }));
      repository.commitUpload.mockResolvedValue('committed');
      const { file } = await service.commitUpload(owner, request());
      expect(repository.commitUpload.mock.calls[0]![1].pinHash).toBe('$argon2id$v=19$m=19456,t=2,p=1$x$y');
      expect(file?.pinProtected).toBe(true);
    });

    it('draws one link token per file, the same across code retries', async () => {
      fresh();
      repository.commitUpload.mockRejectedValueOnce(new DuplicatePickupCodeError()).mockResolvedValueOnce('committed');
      await service.commitUpload(owner, request());
      const [first, second] = repository.commitUpload.mock.calls.map(([, stored]) => stored.linkTokenHmac);
      expect(first).toBe(second);
    });

    it('keeps files forever when the group has no retention', async () => {
      fresh();
      repository.commitUpload.mockResolvedValue('committed');
      const { file } = await service.commitUpload(owner, request());
      expect(file?.expiresAt).toBeUndefined();
      expect(file?.purgeAt).toBeUndefined();
    });

    it('draws a new code when one is taken', async () => {
      fresh();
      repository.commitUpload
        .mockRejectedValueOnce(new DuplicatePickupCodeError())
        .mockRejectedValueOnce(new DuplicatePickupCodeError())
        .mockResolvedValueOnce('committed');
      const { file } = await service.commitUpload(owner, request());
      expect(repository.commitUpload).toHaveBeenCalledTimes(3);
      expect(repository.commitUpload.mock.calls[2]![1].codeHmac).toBe(cipher.hmac(file!.code));
      expect(quotas.settleReservation).toHaveBeenCalledTimes(1);
    });

    it(`gives CODE_SPACE_EXHAUSTED after ${MAX_CODE_ATTEMPTS} taken codes`, async () => {
      fresh();
      repository.commitUpload.mockRejectedValue(new DuplicatePickupCodeError());
      expect((await rejection(service.commitUpload(owner, request()))).code).toBe(ErrorCode.CODE_SPACE_EXHAUSTED);
      expect(repository.commitUpload).toHaveBeenCalledTimes(MAX_CODE_ATTEMPTS);
      expect(quotas.settleReservation).not.toHaveBeenCalled();
    });

    it('returns the committed file again, settling again', async () => {
      const existing = committedFile();
      repository.findFileByUploadId.mockResolvedValue(existing);
      quotas.settleReservation.mockResolvedValue({ usage: undefined });
      const { file } = await service.commitUpload(owner, request());
      expect(file).toEqual(expect.objectContaining({ id: FILE_ID, code: 'ABC123' }));
      expect(quotas.settleReservation).toHaveBeenCalledWith({
        reservationId: 'res-1',
        fileId: FILE_ID,
        actualBytes: 100,
      });
    });

    it('treats an upload that vanished mid-commit as the other commit winning, or NOT_FOUND', async () => {
      fresh();
      repository.findUpload.mockResolvedValueOnce(upload()).mockResolvedValueOnce(null);
      repository.commitUpload.mockResolvedValue('unavailable');
      expect((await rejection(service.commitUpload(owner, request()))).code).toBe(ErrorCode.NOT_FOUND);
      expect(repository.findFileByUploadId).toHaveBeenCalledTimes(2);

      repository.findFileByUploadId.mockResolvedValueOnce(null).mockResolvedValueOnce(committedFile());
      const { file } = await service.commitUpload(owner, request());
      expect(file?.id).toBe(FILE_ID);
    });

    it('refuses blocked bytes with UPLOAD_BLOCKED, releasing the reservation of the upload the commit removed', async () => {
      fresh();
      repository.commitUpload.mockResolvedValue('blocked');
      quotas.releaseReservation.mockResolvedValue({});
      const error = await rejection(service.commitUpload(owner, request()));
      expect(error.code).toBe(ErrorCode.UPLOAD_BLOCKED);
      expect(repository.commitUpload).toHaveBeenCalledTimes(1);
      expect(quotas.releaseReservation).toHaveBeenCalledWith({ reservationId: 'res-1' });
      expect(quotas.settleReservation).not.toHaveBeenCalled();
    });

    it('still answers UPLOAD_BLOCKED when the reservation cannot be released (it lapses in quotas)', async () => {
      fresh();
      repository.commitUpload.mockResolvedValue('blocked');
      quotas.releaseReservation.mockRejectedValue(new Error('quotas down'));
      expect((await rejection(service.commitUpload(owner, request()))).code).toBe(ErrorCode.UPLOAD_BLOCKED);
    });

    it('answers UPLOAD_EXPIRED when the upload is still there but could not be committed (past its expiry)', async () => {
      fresh();
      repository.commitUpload.mockResolvedValue('unavailable');
      const error = await rejection(service.commitUpload(owner, request()));
      expect(error.code).toBe(ErrorCode.UPLOAD_EXPIRED);
      expect(repository.commitUpload).toHaveBeenCalledTimes(1);
      expect(quotas.settleReservation).not.toHaveBeenCalled();
    });

    it('looks for the file again when the upload is already gone (a concurrent commit just won)', async () => {
      repository.findFileByUploadId.mockResolvedValueOnce(null).mockResolvedValueOnce(committedFile());
      repository.findUpload.mockResolvedValue(null);
      quotas.settleReservation.mockResolvedValue({ usage: undefined });
      const { file } = await service.commitUpload(owner, request());
      expect(file).toEqual(expect.objectContaining({ id: FILE_ID, code: 'ABC123' }));
      expect(quotas.settleReservation).toHaveBeenCalledTimes(1);
    });

    it('answers NOT_FOUND when there is neither an upload nor a file', async () => {
      repository.findFileByUploadId.mockResolvedValue(null);
      repository.findUpload.mockResolvedValue(null);
      expect((await rejection(service.commitUpload(owner, request()))).code).toBe(ErrorCode.NOT_FOUND);
    });

    it.each([
      ['a size past max_bytes', { sizeBytes: 1_001 }],
      ['a negative size', { sizeBytes: -1 }],
      ['a short sha256', { sha256: 'abc' }],
      ['a non-hex sha256', { sha256: 'zz'.repeat(32) }],
    ])('rejects %s', async (_, overrides) => {
      repository.findFileByUploadId.mockResolvedValue(null);
      repository.findUpload.mockResolvedValue(upload());
      expect((await rejection(service.commitUpload(owner, request(overrides)))).code).toBe(ErrorCode.VALIDATION_FAILED);
    });

    it('answers NOT_FOUND for a malformed upload id without querying', async () => {
      expect((await rejection(service.commitUpload(owner, request({ uploadId: "x' OR 1=1" })))).code).toBe(
        ErrorCode.NOT_FOUND,
      );
    });
  });

  describe('deleteFile', () => {
    it('marks the file purging, announces its deletion, then queues its purge', async () => {
      const order: string[] = [];
      repository.markPurging.mockImplementation(async () => (order.push('row'), true));
      changes.announceDeletion.mockImplementation(async (id: string) => void order.push(`announce ${id}`));
      purgeQueue.requestPurge.mockImplementation(async (id: string) => void order.push(`queue ${id}`));
      await service.deleteFile(owner, { fileId: FILE_ID.toUpperCase() });
      expect(order).toEqual(['row', `announce ${FILE_ID}`, `queue ${FILE_ID}`]);
      expect(repository.markPurging).toHaveBeenCalledWith('user-1', FILE_ID);
      // The object and the storage accounting are the purge's business now.
      expect(quotas.releaseFileStorage).not.toHaveBeenCalled();
    });

    it('answers NOT_FOUND for a missing, foreign, already deleted or malformed id, queuing nothing', async () => {
      repository.markPurging.mockResolvedValue(false);
      expect((await rejection(service.deleteFile(owner, { fileId: FILE_ID }))).code).toBe(ErrorCode.NOT_FOUND);
      expect((await rejection(service.deleteFile(owner, { fileId: '../x' }))).code).toBe(ErrorCode.NOT_FOUND);
      expect(repository.markPurging).toHaveBeenCalledTimes(1);
      expect(purgeQueue.requestPurge).not.toHaveBeenCalled();
    });
  });

  describe('restoreFile', () => {
    const DB_NOW = new Date('2026-12-02T12:00:00.000Z');
    const HOUR = 3_600_000;
    const expired = (overrides: Partial<FileEntity> = {}): FileEntity => ({
      ...committedFile(),
      status: 'expired',
      expiresAt: new Date(DB_NOW.getTime() - HOUR),
      purgeAt: new Date(DB_NOW.getTime() - HOUR + REDEMPTION_MS),
      ...overrides,
    });

    function limits(extra: Partial<quotasV1.GroupLimits> = {}) {
      quotas.getGroupLimits.mockResolvedValue({
        limits: { group: 'normal', trafficWindow: 0, retentionSeconds: 7200, ...extra },
      });
    }

    beforeEach(() => repository.now.mockResolvedValue(DB_NOW));

    it('restores with the group’s retention and the redemption window, announces it, and answers the file', async () => {
      const restored = { ...committedFile(), expiresAt: new Date(DB_NOW.getTime() + 2 * HOUR) };
      repository.findFileInAnyState.mockResolvedValue(expired());
      limits();
      repository.restoreFile.mockResolvedValue(true);
      repository.findFile.mockResolvedValue(restored);
      changes.announce.mockResolvedValue(undefined);

      const { file } = await service.restoreFile(owner, { fileId: FILE_ID });
      expect(quotas.getGroupLimits).toHaveBeenCalledWith({ group: 'normal' });
      expect(repository.restoreFile).toHaveBeenCalledWith('user-1', FILE_ID, {
        retentionSeconds: 7200,
        redemptionSeconds: REDEMPTION_MS / 1000,
      });
      expect(changes.announce).toHaveBeenCalledWith(FILE_ID);
      expect(file).toEqual(
        expect.objectContaining({ id: FILE_ID, code: 'ABC123', status: filesV1.FileStatus.FILE_STATUS_ACTIVE }),
      );
    });

    it('restores without expiry when the group keeps files forever', async () => {
      repository.findFileInAnyState.mockResolvedValue(expired());
      quotas.getGroupLimits.mockResolvedValue({ limits: { group: 'normal', trafficWindow: 0 } });
      repository.restoreFile.mockResolvedValue(true);
      repository.findFile.mockResolvedValue(committedFile());
      changes.announce.mockResolvedValue(undefined);
      await service.restoreFile(owner, { fileId: FILE_ID });
      expect(repository.restoreFile.mock.calls[0]![2].retentionSeconds).toBeNull();
    });

    it('refuses with STORAGE_QUOTA_EXCEEDED while the owner stores more than the group allows', async () => {
      repository.findFileInAnyState.mockResolvedValue(expired());
      limits({ storageBytes: 1_000 });
      quotas.getUsage.mockResolvedValue({
        usage: { storageUsedBytes: 1_001, storageReservedBytes: 0, trafficUsedBytes: 0 },
      });
      expect((await rejection(service.restoreFile(owner, { fileId: FILE_ID }))).code).toBe(
        ErrorCode.STORAGE_QUOTA_EXCEEDED,
      );
      expect(quotas.getUsage).toHaveBeenCalledWith({});
      expect(repository.restoreFile).not.toHaveBeenCalled();
    });

    it('restores at exactly the storage limit', async () => {
      repository.findFileInAnyState.mockResolvedValue(expired());
      limits({ storageBytes: 1_000 });
      quotas.getUsage.mockResolvedValue({
        usage: { storageUsedBytes: 1_000, storageReservedBytes: 500, trafficUsedBytes: 0 },
      });
      repository.restoreFile.mockResolvedValue(true);
      repository.findFile.mockResolvedValue(committedFile());
      changes.announce.mockResolvedValue(undefined);
      expect((await service.restoreFile(owner, { fileId: FILE_ID })).file?.id).toBe(FILE_ID);
    });

    it.each([
      ['purging', expired({ status: 'purging' })],
      ['past its window', expired({ purgeAt: new Date(DB_NOW.getTime()) })],
    ])('answers FILE_EXPIRED with purgeAt for a file %s, without asking quotas', async (_, file) => {
      repository.findFileInAnyState.mockResolvedValue(file);
      const error = await rejection(service.restoreFile(owner, { fileId: FILE_ID }));
      expect([error.code, error.message, error.details]).toEqual([
        ErrorCode.FILE_EXPIRED,
        'The file is past its redemption window',
        { purgeAt: file.purgeAt?.toISOString() },
      ]);
      expect(quotas.getGroupLimits).not.toHaveBeenCalled();
    });

    it('answers a file that has not expired unchanged (idempotent), without asking quotas', async () => {
      const live = { ...committedFile(), expiresAt: new Date(DB_NOW.getTime() + 1) };
      repository.findFileInAnyState.mockResolvedValue(live);
      const { file } = await service.restoreFile(owner, { fileId: FILE_ID });
      expect(file?.status).toBe(filesV1.FileStatus.FILE_STATUS_ACTIVE);
      expect(repository.restoreFile).not.toHaveBeenCalled();
      expect(quotas.getGroupLimits).not.toHaveBeenCalled();
    });

    it('answers NOT_FOUND for a missing, foreign or malformed id', async () => {
      repository.findFileInAnyState.mockResolvedValue(null);
      expect((await rejection(service.restoreFile(owner, { fileId: FILE_ID }))).code).toBe(ErrorCode.NOT_FOUND);
      expect((await rejection(service.restoreFile(owner, { fileId: 'x' }))).code).toBe(ErrorCode.NOT_FOUND);
      expect(repository.findFileInAnyState).toHaveBeenCalledTimes(1);
    });

    it('answers FILE_EXPIRED when a purge claim took the file between the read and the UPDATE', async () => {
      repository.findFileInAnyState
        .mockResolvedValueOnce(expired())
        .mockResolvedValueOnce(expired({ status: 'purging' }));
      limits();
      repository.restoreFile.mockResolvedValue(false);
      expect((await rejection(service.restoreFile(owner, { fileId: FILE_ID }))).code).toBe(ErrorCode.FILE_EXPIRED);
      expect(changes.announce).not.toHaveBeenCalled();
    });
  });

  describe('listFiles', () => {
    it('clamps the limit to 200 and asks for one extra row', async () => {
      repository.listFiles.mockResolvedValue([]);
      await service.listFiles(owner, { page: { limit: 5_000, cursor: '' } });
      expect(repository.listFiles).toHaveBeenCalledWith('user-1', 201, undefined);
    });

    it('defaults to 50', async () => {
      repository.listFiles.mockResolvedValue([]);
      const response = await service.listFiles(owner, { page: undefined });
      expect(repository.listFiles).toHaveBeenCalledWith('user-1', 51, undefined);
      expect(response).toEqual({ items: [], nextCursor: '' });
    });

    it.each([
      ['a negative limit', { limit: -1, cursor: '' }],
      ['a forged cursor', { limit: 10, cursor: 'bm9wZQ' }],
    ])('rejects %s', async (_, page) => {
      expect((await rejection(service.listFiles(owner, { page }))).code).toBe(ErrorCode.VALIDATION_FAILED);
    });
  });

  describe('adoptFiles', () => {
    const guest: commonV1.Caller = {
      ownerId: 'anon-1',
      group: 'anonymous',
      kind: commonV1.IdentityKind.IDENTITY_KIND_USER,
    };
    const IDS = ['f-1', 'f-2', 'f-3', 'f-4'];
    const adopt = (from: commonV1.Caller = guest, secret = CALLER_SECRET) =>
      service.adoptFiles(owner, { fromCallerToken: signCallerToken(from, secret) });

    it('moves the storage before the row, and counts refused files as kept', async () => {
      const order: string[] = [];
      repository.listLiveFileIds.mockResolvedValue(IDS);
      quotas.moveFileStorage.mockImplementation(async ({ fileId }) => {
        order.push(`quota ${fileId}`);
        if (fileId === 'f-2') throw new DomainError(ErrorCode.FILE_TOO_LARGE, 'too large');
        if (fileId === 'f-3') throw new DomainError(ErrorCode.STORAGE_QUOTA_EXCEEDED, 'full');
        return { usage: undefined };
      });
      repository.changeOwner.mockImplementation(async (fileId) => (order.push(`row ${fileId}`), true));

      expect(await adopt()).toEqual({ moved: 2, kept: 2 });
      expect(repository.listLiveFileIds).toHaveBeenCalledWith('anon-1');
      expect(order).toEqual(['quota f-1', 'row f-1', 'quota f-2', 'quota f-3', 'quota f-4', 'row f-4']);
      expect(quotas.moveFileStorage).toHaveBeenCalledWith({ fileId: 'f-1', fromOwnerId: 'anon-1' });
      expect(repository.changeOwner).toHaveBeenCalledWith('f-4', 'anon-1', 'user-1');
    });

    it('does not count a file whose row another adoption moved first', async () => {
      repository.listLiveFileIds.mockResolvedValue(['f-1']);
      quotas.moveFileStorage.mockResolvedValue({ usage: undefined });
      repository.changeOwner.mockResolvedValue(false);
      expect(await adopt()).toEqual({ moved: 0, kept: 0 });
    });

    it('stops on any other quota error', async () => {
      repository.listLiveFileIds.mockResolvedValue(IDS);
      quotas.moveFileStorage.mockRejectedValue(new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'down'));
      expect((await rejection(adopt())).code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
      expect(quotas.moveFileStorage).toHaveBeenCalledTimes(1);
      expect(repository.changeOwner).not.toHaveBeenCalled();
    });

    it.each([
      ['a registered identity', { ...guest, group: 'normal' }],
      ['the caller itself', { ...guest, ownerId: 'user-1' }],
      ['an unspecified identity kind', { ...guest, kind: commonV1.IdentityKind.IDENTITY_KIND_UNSPECIFIED }],
    ])('refuses %s with VALIDATION_FAILED', async (_, from) => {
      expect((await rejection(adopt(from))).code).toBe(ErrorCode.VALIDATION_FAILED);
      expect(repository.listLiveFileIds).not.toHaveBeenCalled();
    });

    it('refuses a token signed with another secret, or none, with UNAUTHENTICATED', async () => {
      expect((await rejection(adopt(guest, 'another-secret-0123456789abcdef'))).code).toBe(ErrorCode.UNAUTHENTICATED);
      expect((await rejection(service.adoptFiles(owner, { fromCallerToken: '' }))).code).toBe(
        ErrorCode.UNAUTHENTICATED,
      );
      expect(repository.listLiveFileIds).not.toHaveBeenCalled();
    });
  });

  describe('reopenPin', () => {
    it('resets the owner’s file and shows its PIN path open', async () => {
      repository.reopenPin.mockResolvedValue({ ...committedFile(), pinHash: '$argon2id$x', pinFailuresTotal: 0 });
      const { file } = await service.reopenPin(owner, { fileId: FILE_ID.toUpperCase() });
      expect(repository.reopenPin).toHaveBeenCalledWith('user-1', FILE_ID);
      expect(file).toEqual(expect.objectContaining({ id: FILE_ID, pinProtected: true, pinLocked: false }));
      expect(file?.linkToken).toBe('link-token-of-abc123');
    });

    it('answers NOT_FOUND for a file that is not the caller’s, or a malformed id', async () => {
      repository.reopenPin.mockResolvedValue(null);
      expect((await rejection(service.reopenPin(owner, { fileId: FILE_ID }))).code).toBe(ErrorCode.NOT_FOUND);
      expect((await rejection(service.reopenPin(owner, { fileId: 'nope' }))).code).toBe(ErrorCode.NOT_FOUND);
      expect(repository.reopenPin).toHaveBeenCalledTimes(1);
    });
  });

  describe('the owner’s view', () => {
    it('shows pinLocked once the lifetime cap of wrong PINs is reached', async () => {
      repository.findFile.mockResolvedValue({ ...committedFile(), pinHash: '$argon2id$x', pinFailuresTotal: 30 });
      const { file } = await service.getFile(owner, { fileId: FILE_ID });
      expect(file).toEqual(expect.objectContaining({ pinProtected: true, pinLocked: true }));
    });
  });
});

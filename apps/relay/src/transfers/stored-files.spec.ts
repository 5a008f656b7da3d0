import { filesV1, toTimestamp } from '@lexy/contracts-grpc';
import { DomainError, ErrorCode } from '@lexy/server-errors';
import type { FilesClient } from '../grpc/grpc-clients.js';
import { NEVER_EXPIRES, StoredFiles } from './stored-files.js';
import type { StoredOfferRequest } from './transfer-offer.js';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const FILE_A = '0190f4a2-0000-7000-8000-0000000000f1';
const FILE_B = '0190f4a2-0000-7000-8000-0000000000f2';
const request = (fileIds: string[]): StoredOfferRequest => ({
  fromDeviceId: '0190f4a2-0000-7000-8000-00000000000a',
  toDeviceId: '0190f4a2-0000-7000-8000-00000000000b',
  mode: 'stored',
  fileIds,
});

const file = (id: string, overrides: Partial<filesV1.File> = {}): filesV1.File => ({
  id,
  name: `${id.slice(-2)}.bin`,
  sizeBytes: 10,
  mimeType: 'application/pdf',
  sha256: 'a'.repeat(64),
  code: 'ABCD1234',
  status: filesV1.FileStatus.FILE_STATUS_ACTIVE,
  createdAt: toTimestamp(new Date('2026-12-01T11:00:00.000Z')),
  expiresAt: toTimestamp(new Date('2026-12-08T11:00:00.000Z')),
  purgeAt: undefined,
  downloads: 0,
  pinProtected: false,
  pinLocked: false,
  ...overrides,
});

/** A files service that knows `known` (of the caller) and nothing else. */
function filesService(known: filesV1.File[]): FilesClient {
  return {
    getFile: async ({ fileId }: filesV1.GetFileRequest) => {
      const found = known.find((candidate) => candidate.id === fileId);
      if (!found) throw new DomainError(ErrorCode.NOT_FOUND, 'File not found');
      return { file: found };
    },
  } as unknown as FilesClient;
}

async function failure(run: () => Promise<unknown>): Promise<DomainError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('StoredFiles', () => {
  it('takes name, size and type from the files service, and expires with the first file', async () => {
    const early = new Date('2026-12-02T09:30:00.000Z');
    const storedFiles = new StoredFiles(
      filesService([file(FILE_A, { sizeBytes: 7 }), file(FILE_B, { sizeBytes: 5, expiresAt: toTimestamp(early) })]),
    );
    const { offer, expiresAt } = await storedFiles.resolve(request([FILE_A, FILE_B]), NOW);
    expect(offer).toEqual({
      fromDeviceId: '0190f4a2-0000-7000-8000-00000000000a',
      toDeviceId: '0190f4a2-0000-7000-8000-00000000000b',
      mode: 'stored',
      files: [
        { name: 'f1.bin', sizeBytes: 7, mimeType: 'application/pdf', fileId: FILE_A },
        { name: 'f2.bin', sizeBytes: 5, mimeType: 'application/pdf', fileId: FILE_B },
      ],
      totalBytes: 12,
    });
    expect(expiresAt).toEqual(early);
  });

  it('waits until answered for files kept forever', async () => {
    const storedFiles = new StoredFiles(filesService([file(FILE_A, { expiresAt: undefined })]));
    expect((await storedFiles.resolve(request([FILE_A]), NOW)).expiresAt).toEqual(NEVER_EXPIRES);
  });

  it('answers NOT_FOUND naming the file for one the caller does not have (foreign or unknown)', async () => {
    const storedFiles = new StoredFiles(filesService([file(FILE_A)]));
    const error = await failure(() => storedFiles.resolve(request([FILE_A, FILE_B]), NOW));
    expect(error.code).toBe(ErrorCode.NOT_FOUND);
    expect(error.details).toEqual({ field: 'fileIds', index: 1 });
  });

  it.each([
    ['expired by the files service', { status: filesV1.FileStatus.FILE_STATUS_EXPIRED }],
    ['past its retention though still active', { expiresAt: toTimestamp(new Date(NOW.getTime() - 1000)) }],
  ])('answers FILE_EXPIRED for a file %s', async (_, overrides) => {
    const storedFiles = new StoredFiles(filesService([file(FILE_A, overrides)]));
    const error = await failure(() => storedFiles.resolve(request([FILE_A]), NOW));
    expect(error.code).toBe(ErrorCode.FILE_EXPIRED);
    expect(error.details).toEqual({ field: 'fileIds', index: 0 });
  });

  it('passes on a files service that cannot answer', async () => {
    const unavailable = {
      getFile: async () => Promise.reject(new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'files is down')),
    } as unknown as FilesClient;
    const error = await failure(() => new StoredFiles(unavailable).resolve(request([FILE_A]), NOW));
    expect(error.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
  });
});

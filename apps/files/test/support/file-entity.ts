import type { FileEntity } from '../../src/files/file.entity.js';

export const UNIT_FILE_ID = '0190f4a2-2222-7000-8000-000000000002';

/** A committed, active file row for unit tests; override what a test is about. */
export function aFileEntity(overrides: Partial<FileEntity> = {}): FileEntity {
  return {
    id: UNIT_FILE_ID,
    uploadId: '0190f4a2-1111-7000-8000-000000000001',
    ownerId: 'user-1',
    reservationId: 'res-1',
    name: 'a.txt',
    mimeType: 'text/plain',
    sizeBytes: 100,
    sha256: 'ab'.repeat(32),
    objectKey: 'files/01JDQZ8Y7W3M9K2V5X4T6R1P0N',
    codeHmac: null,
    codeCiphertext: null,
    status: 'active',
    createdAt: new Date('2026-12-01T10:00:00.000Z'),
    expiresAt: null,
    purgeAt: null,
    downloads: 0,
    downloadLimit: null,
    pinHash: null,
    linkTokenHmac: null,
    linkTokenCiphertext: null,
    pinFailures: 0,
    pinWindowStartedAt: null,
    pinLockedUntil: null,
    pinFailuresTotal: 0,
    purgeClaimedAt: null,
    objectMissingAt: null,
    ...overrides,
  };
}

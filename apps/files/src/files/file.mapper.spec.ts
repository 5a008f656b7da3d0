import { filesV1 } from '@lexy/contracts-grpc';
import { aFileEntity } from '../../test/support/file-entity.js';
import { ownerStatus, toAdminFile, toFile } from './file.mapper.js';

const T = new Date('2026-12-02T12:00:00.000Z');
const at = (offsetMs: number) => new Date(T.getTime() + offsetMs);

describe('the owner sees a file expired as soon as its retention ends', () => {
  it('is active before expiresAt, and expired from expiresAt on', () => {
    const file = aFileEntity({ expiresAt: T });
    expect(ownerStatus(file, at(-1))).toBe(filesV1.FileStatus.FILE_STATUS_ACTIVE);
    expect(ownerStatus(file, at(0))).toBe(filesV1.FileStatus.FILE_STATUS_EXPIRED);
    expect(toFile(file, 'ABC123', null, at(1000)).status).toBe(filesV1.FileStatus.FILE_STATUS_EXPIRED);
  });

  it('never expires a file without retention, and keeps a row already marked expired', () => {
    expect(ownerStatus(aFileEntity({ expiresAt: null }), at(1e12))).toBe(filesV1.FileStatus.FILE_STATUS_ACTIVE);
    expect(ownerStatus(aFileEntity({ status: 'expired', expiresAt: T }), at(-1))).toBe(
      filesV1.FileStatus.FILE_STATUS_EXPIRED,
    );
  });
});

describe('the administrator’s view', () => {
  it('names the owner and holds no pickup code, share link or PIN', () => {
    const file = aFileEntity({
      pinHash: '$argon2id$v=19$m=19456,t=2,p=1$x$y',
      codeCiphertext: 'secret-code',
      linkTokenCiphertext: 'secret-link',
      downloadLimit: 3,
      expiresAt: T,
      purgeAt: at(1000),
    });
    const view = toAdminFile(file, at(1));
    expect(view).toEqual({
      id: file.id,
      ownerId: 'user-1',
      name: 'a.txt',
      sizeBytes: 100,
      mimeType: 'text/plain',
      sha256: file.sha256,
      status: filesV1.FileStatus.FILE_STATUS_EXPIRED,
      createdAt: expect.anything(),
      expiresAt: expect.anything(),
      purgeAt: expect.anything(),
      downloads: 0,
      downloadLimit: 3,
      pinProtected: true,
    });
    expect(JSON.stringify(view)).not.toMatch(/secret|argon2/);
  });
});

import type { PreviousUpload } from 'tus-js-client';
import { pinlessUrlStorage } from './pinless-url-storage';

describe('pinlessUrlStorage', () => {
  it('remembers an unfinished upload without its PIN, and passes everything else through', async () => {
    const saved: PreviousUpload[] = [];
    const storage = pinlessUrlStorage({
      findAllUploads: async () => saved,
      findUploadsByFingerprint: async () => saved,
      removeUpload: async () => undefined,
      addUpload: async (_fingerprint, upload) => (saved.push(upload), 'key-1'),
    });
    const upload = {
      size: 10,
      metadata: { filename: 'plans.pdf', pin: '731905', downloadLimit: '3' },
      creationTime: 'now',
      urlStorageKey: '',
      uploadUrl: 'http://gw.test/api/v1/uploads/u1',
      parallelUploadUrls: null,
    } as unknown as PreviousUpload;

    await expect(storage.addUpload('fp', upload)).resolves.toBe('key-1');
    expect(saved[0]!.metadata).toEqual({ filename: 'plans.pdf', downloadLimit: '3' });
    expect(JSON.stringify(saved)).not.toContain('731905');
    expect(upload.metadata['pin']).toBe('731905');
    await expect(storage.findAllUploads()).resolves.toBe(saved);
  });
});

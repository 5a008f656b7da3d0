import { DEFAULT_PART_SIZE_BYTES, MIB, resolveStorageConfig, type StorageConfig } from './storage-config.js';

const base: StorageConfig = {
  endpoint: 'http://127.0.0.1:9000',
  accessKey: 'key',
  secretKey: 'secret',
  bucket: 'lexy-files',
};

describe('resolveStorageConfig', () => {
  it('turns an http endpoint into minio options with an 8 MiB default part size', () => {
    expect(resolveStorageConfig(base)).toEqual({
      endPoint: '127.0.0.1',
      port: 9000,
      useSSL: false,
      accessKey: 'key',
      secretKey: 'secret',
      bucket: 'lexy-files',
      partSizeBytes: DEFAULT_PART_SIZE_BYTES,
    });
    expect(DEFAULT_PART_SIZE_BYTES).toBe(8 * MIB);
  });

  it('defaults ports by scheme and unwraps IPv6 literals', () => {
    expect(resolveStorageConfig({ ...base, endpoint: 'https://minio.internal' })).toMatchObject({
      endPoint: 'minio.internal',
      port: 443,
      useSSL: true,
    });
    expect(resolveStorageConfig({ ...base, endpoint: 'http://[::1]:9000', region: 'eu-1' })).toMatchObject({
      endPoint: '::1',
      port: 9000,
      region: 'eu-1',
    });
  });

  it('names every problem at once', () => {
    const attempt = () =>
      resolveStorageConfig({
        endpoint: 'ftp://user:pw@host/path',
        accessKey: '',
        secretKey: 's',
        bucket: 'Bad_Bucket',
        partSizeBytes: MIB,
      });
    expect(attempt).toThrow(/http:\/\/ or https:\/\//);
    expect(attempt).toThrow(/path or query/);
    expect(attempt).toThrow(/credentials/);
    expect(attempt).toThrow(/accessKey is empty/);
    expect(attempt).toThrow(/bucket "Bad_Bucket"/);
    expect(attempt).toThrow(/partSizeBytes/);
  });

  it('rejects an endpoint that is not a URL', () => {
    expect(() => resolveStorageConfig({ ...base, endpoint: '127.0.0.1:9000' })).toThrow(/endpoint/);
  });
});

import type { UploadOptions } from 'tus-js-client';

type UrlStorage = NonNullable<UploadOptions['urlStorage']>;

/**
 * tus-js-client remembers each unfinished upload, metadata included, in localStorage so that it
 * can resume after a reload. The PIN is needed only when the upload is created, so it is left
 * out: a PIN must never sit in the browser's storage.
 */
export function pinlessUrlStorage(storage: UrlStorage): UrlStorage {
  return {
    findAllUploads: () => storage.findAllUploads(),
    findUploadsByFingerprint: (fingerprint) => storage.findUploadsByFingerprint(fingerprint),
    removeUpload: (key) => storage.removeUpload(key),
    addUpload: (fingerprint, upload) => {
      const { pin: _pin, ...metadata } = upload.metadata;
      return storage.addUpload(fingerprint, { ...upload, metadata });
    },
  };
}

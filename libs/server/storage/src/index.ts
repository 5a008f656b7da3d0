export {
  ObjectStorage,
  type ByteRange,
  type ObjectBody,
  type ObjectInfo,
  type PutOptions,
  type PutResult,
} from './object-storage.js';
export { DEFAULT_PART_SIZE_BYTES, storageConfig, type StorageConfig, type StorageEnv } from './storage-config.js';
export { StorageError, type StorageErrorCode } from './storage-error.js';

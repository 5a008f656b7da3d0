export {
  ObjectStorage,
  type ByteRange,
  type ListedObject,
  type ObjectBody,
  type ObjectInfo,
  type PutOptions,
  type PutResult,
  type StaleUpload,
} from './object-storage.js';
export {
  DEFAULT_PART_SIZE_BYTES,
  MIN_PART_SIZE_BYTES,
  storageConfig,
  type StorageConfig,
  type StorageEnv,
} from './storage-config.js';
export { choosePartSize, MAX_PARTS, PartReader } from './part-reader.js';
export type { WriteGate } from './pooled-response.js';
export { StorageError, type StorageErrorCode } from './storage-error.js';

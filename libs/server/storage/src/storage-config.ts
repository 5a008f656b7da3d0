export interface StorageConfig {
  /** Base URL of the S3 endpoint, e.g. `http://127.0.0.1:9000`; buckets are addressed path-style. */
  endpoint: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
  /** When unset, the client asks the server for the bucket's region once. */
  region?: string;
  /** Size of multipart-upload parts; one upload holds two of them in memory. Default 8 MiB. */
  partSizeBytes?: number;
}

/** The S3 variables a service reads (see storageEnv in @lexy/server-config). */
export interface StorageEnv {
  S3_ENDPOINT: string;
  S3_ACCESS_KEY: string;
  S3_SECRET_KEY: string;
  S3_BUCKET: string;
  S3_REGION: string;
}

/** A service's storage config from its environment. */
export function storageConfig(env: StorageEnv): StorageConfig {
  return {
    endpoint: env.S3_ENDPOINT,
    accessKey: env.S3_ACCESS_KEY,
    secretKey: env.S3_SECRET_KEY,
    bucket: env.S3_BUCKET,
    region: env.S3_REGION,
  };
}

export const MIB = 1024 * 1024;
/** Two of them are in memory per upload through putStream (one uploading, one being read). */
export const DEFAULT_PART_SIZE_BYTES = 8 * MIB;
/** S3's limits on part sizes. */
export const MIN_PART_SIZE_BYTES = 5 * MIB;
export const MAX_PART_SIZE_BYTES = 5 * 1024 * MIB;

export interface ResolvedStorageConfig {
  endPoint: string;
  port: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region?: string;
  partSizeBytes: number;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Checks a storage config and turns it into what the `minio` client takes. Throws one error
 * naming every problem, so a misconfigured service fails at boot with a readable message.
 */
export function resolveStorageConfig(config: StorageConfig): ResolvedStorageConfig {
  const problems: string[] = [];
  let url: URL | undefined;
  try {
    url = new URL(config.endpoint);
  } catch {
    problems.push(`endpoint "${config.endpoint}" is not a URL`);
  }
  if (url) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push('endpoint must be http:// or https://');
    if (url.pathname !== '/' || url.search || url.hash) problems.push('endpoint must not have a path or query');
    if (url.username || url.password) problems.push('endpoint must not carry credentials; use accessKey/secretKey');
  }
  if (!config.accessKey) problems.push('accessKey is empty');
  if (!config.secretKey) problems.push('secretKey is empty');
  if (!BUCKET_NAME.test(config.bucket ?? '')) problems.push(`bucket "${config.bucket}" is not a valid S3 bucket name`);
  const partSizeBytes = config.partSizeBytes ?? DEFAULT_PART_SIZE_BYTES;
  if (
    !Number.isSafeInteger(partSizeBytes) ||
    partSizeBytes < MIN_PART_SIZE_BYTES ||
    partSizeBytes > MAX_PART_SIZE_BYTES
  ) {
    problems.push(`partSizeBytes must be an integer from 5 MiB to 5 GiB, got ${config.partSizeBytes}`);
  }
  if (problems.length > 0 || !url) throw new Error(`Invalid storage config: ${problems.join('; ')}`);

  const useSSL = url.protocol === 'https:';
  return {
    // URL keeps the brackets of an IPv6 literal; minio wants the bare address.
    endPoint: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : useSSL ? 443 : 80,
    useSSL,
    accessKey: config.accessKey,
    secretKey: config.secretKey,
    bucket: config.bucket,
    ...(config.region ? { region: config.region } : {}),
    partSizeBytes,
  };
}

import type { ObjectStorage } from '@lexy/server-storage';

/**
 * Creates the bucket if it is missing (MinIO does not create it; the local S3 server does),
 * trying for a while so a gateway that starts before its object store still comes up.
 * Creating is idempotent, so replicas starting together are fine.
 */
export async function ensureBucketAtStart(
  storage: Pick<ObjectStorage, 'ensureBucket'>,
  { attempts = 15, delayMs = 1_000 } = {},
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await storage.ensureBucket();
      return;
    } catch (error) {
      if (attempt >= attempts) {
        throw new Error(
          `object storage is not usable: could not find or create the bucket (${(error as Error).message})`,
          {
            cause: error,
          },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

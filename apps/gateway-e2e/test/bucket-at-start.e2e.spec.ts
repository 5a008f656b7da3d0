import { randomBytes } from 'node:crypto';
import { Client as MinioClient } from 'minio';
// The platform launcher is a dev tool run without a build.
import { startGateway } from '../../../tools/platform/platform.mjs';
import { gatewayUrl } from './support/e2e.js';

// MinIO never creates a bucket by itself (the local S3 server does, for its default one):
// a gateway that starts against a missing bucket creates it.
it('a gateway creates its bucket at start when it is missing', async () => {
  const env = JSON.parse(process.env['E2E_PLATFORM_ENV'] ?? '{}') as Record<string, string>;
  const bucket = `lexy-fresh-${randomBytes(4).toString('hex')}`;
  const endpoint = new URL(env['S3_ENDPOINT'] ?? 'http://127.0.0.1:19000');
  const s3 = new MinioClient({
    endPoint: endpoint.hostname,
    port: Number(endpoint.port),
    useSSL: false,
    accessKey: env['S3_ACCESS_KEY'] ?? 'lexy-local',
    secretKey: env['S3_SECRET_KEY'] ?? 'lexy-local-secret',
  });
  expect(await s3.bucketExists(bucket)).toBe(false);
  // Healthy only once the bucket answers (the health check asks the bucket).
  const gateway = await startGateway({
    env: { ...env, S3_BUCKET: bucket },
    port: Number(new URL(gatewayUrl()).port) + 9,
  });
  try {
    expect(await s3.bucketExists(bucket)).toBe(true);
  } finally {
    await gateway.stop();
    await s3.removeBucket(bucket);
  }
});

import { ConfigError } from '@lexy/server-config';
import { loadCleanupConfig } from './cleanup.config.js';

describe('loadCleanupConfig', () => {
  it('has defaults for a local platform', () => {
    expect(loadCleanupConfig({})).toMatchObject({
      CLEANUP_INTERVAL_SECONDS: 60,
      CLEANUP_BATCH_SIZE: 500,
      CLEANUP_CLAIM_LEASE_SECONDS: 300,
      CLEANUP_PURGE_FILES_PER_SECOND: 250,
      CLEANUP_ORPHAN_GRACE_SECONDS: 86_400,
      CLEANUP_RESERVATION_GRACE_SECONDS: 3600,
      CLEANUP_METRICS_PORT: 9464,
      FILES_GRPC_ADDRESS: '127.0.0.1:50052',
      QUOTAS_GRPC_ADDRESS: '127.0.0.1:50053',
      RELAY_GRPC_ADDRESS: '127.0.0.1:50054',
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: 'lexy',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_BUCKET: 'lexy-files',
      LOG_LEVEL: 'info',
      INTERNAL_CALLER_SECRET: expect.any(String),
    });
  });

  it('reads numbers and names from the environment', () => {
    const config = loadCleanupConfig({
      CLEANUP_INTERVAL_SECONDS: '1',
      CLEANUP_BATCH_SIZE: '1000',
      CLEANUP_PURGE_FILES_PER_SECOND: '0',
      CLEANUP_ORPHAN_GRACE_SECONDS: '1',
      CLEANUP_RESERVATION_GRACE_SECONDS: '0',
      CLEANUP_METRICS_PORT: '0',
      QUEUE_PREFIX: 'lexy-e2e',
      FILES_GRPC_ADDRESS: 'files:50052',
      RELAY_GRPC_ADDRESS: 'relay:50054',
    });
    expect(config).toMatchObject({
      CLEANUP_INTERVAL_SECONDS: 1,
      CLEANUP_BATCH_SIZE: 1000,
      CLEANUP_PURGE_FILES_PER_SECOND: 0,
      CLEANUP_ORPHAN_GRACE_SECONDS: 1,
      CLEANUP_RESERVATION_GRACE_SECONDS: 0,
      CLEANUP_METRICS_PORT: 0,
      QUEUE_PREFIX: 'lexy-e2e',
      FILES_GRPC_ADDRESS: 'files:50052',
      RELAY_GRPC_ADDRESS: 'relay:50054',
    });
  });

  it('names every variable out of range in one error', () => {
    const load = () =>
      loadCleanupConfig({
        CLEANUP_INTERVAL_SECONDS: '0',
        CLEANUP_BATCH_SIZE: '1001',
        CLEANUP_CLAIM_LEASE_SECONDS: '1.5',
        CLEANUP_PURGE_FILES_PER_SECOND: '-1',
        CLEANUP_ORPHAN_GRACE_SECONDS: '0',
        CLEANUP_METRICS_PORT: '70000',
        QUOTAS_GRPC_ADDRESS: 'nowhere',
        RELAY_GRPC_ADDRESS: 'relay',
        REDIS_URL: 'http://redis',
        QUEUE_PREFIX: '',
      });
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (error) {
      const problems = (error as ConfigError).problems.map((problem) => problem.split(':')[0]);
      expect(problems.sort()).toEqual(
        [
          'CLEANUP_BATCH_SIZE',
          'CLEANUP_CLAIM_LEASE_SECONDS',
          'CLEANUP_PURGE_FILES_PER_SECOND',
          'CLEANUP_INTERVAL_SECONDS',
          'CLEANUP_METRICS_PORT',
          'CLEANUP_ORPHAN_GRACE_SECONDS',
          'QUEUE_PREFIX',
          'QUOTAS_GRPC_ADDRESS',
          'RELAY_GRPC_ADDRESS',
          'REDIS_URL',
        ].sort(),
      );
    }
  });
});

// Starts a private instance of the platform for the end-to-end suite: fresh databases
// (lexy_e2e_*), a fresh S3 data folder, and ports that do not clash with `npm start`.
import { mkdtempSync } from 'node:fs';
import { createConnection } from 'mysql2/promise';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform } from '../../../tools/platform/platform.mjs';

export const E2E_PORTS = { gateway: 18080, auth: 15051, files: 15052, quotas: 15053, s3: 19000 };
const PREFIX = 'lexy_e2e';

export default async function globalSetup() {
  const connection = await createConnection({
    host: process.env.MYSQL_HOST ?? '127.0.0.1',
    port: Number(process.env.MYSQL_PORT ?? 3306),
    user: process.env.MYSQL_USER ?? 'root',
    password: process.env.MYSQL_PASSWORD ?? '',
  });
  for (const db of ['auth', 'files', 'quotas']) await connection.query(`DROP DATABASE IF EXISTS ${PREFIX}_${db}`);
  await connection.end();

  const logs = [];
  const platform = await startPlatform({
    ports: E2E_PORTS,
    databasePrefix: PREFIX,
    dataDir: mkdtempSync(join(tmpdir(), 'lexy-e2e-s3-')),
    // Keep the output of a passing run short; show the platform's logs only on failure.
    log: (name, line) => logs.push(`[${name}] ${line}`),
  }).catch((error) => {
    console.error(logs.slice(-50).join('\n'));
    throw error;
  });
  globalThis.__LEXY_PLATFORM__ = platform;
  process.env.E2E_GATEWAY_URL = platform.gatewayUrl;
  process.env.E2E_S3_ENDPOINT = platform.s3Endpoint;
  process.env.E2E_S3_BUCKET = platform.env.S3_BUCKET;
  process.env.E2E_DATABASE_PREFIX = PREFIX;
}

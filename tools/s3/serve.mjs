#!/usr/bin/env node
// @ts-check
/**
 * Runs the local S3 endpoint in the foreground (`npm run s3`, and the dev launcher).
 *
 * Environment: S3_PORT (default 9000), S3_DATA_DIR (default .data/s3; relative paths are
 * taken from the repository root, wherever this is started from), S3_ACCESS_KEY,
 * S3_SECRET_KEY, S3_BUCKET (default lexy-files), S3_LOG_REQUESTS=1 to log every request.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalS3 } from './local-s3.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** @param {string} message */
function fail(message) {
  console.error(message);
  process.exit(1);
}

const portText = process.env.S3_PORT || '9000';
const port = Number(portText);
if (!/^\d+$/.test(portText) || port > 65_535) fail(`local S3: S3_PORT must be a port number, got "${portText}"`);
const directory = path.resolve(repoRoot, process.env.S3_DATA_DIR || '.data/s3');

let s3;
try {
  s3 = await startLocalS3({
    port,
    directory,
    accessKey: process.env.S3_ACCESS_KEY || undefined,
    secretKey: process.env.S3_SECRET_KEY || undefined,
    buckets: [process.env.S3_BUCKET || 'lexy-files'],
    logRequests: process.env.S3_LOG_REQUESTS === '1',
  });
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
const server = /** @type {import('./local-s3.mjs').LocalS3} */ (s3);
console.log(`local S3 endpoint listening on ${server.endpoint} (data in ${directory})`);

/** @param {NodeJS.Signals} signal */
async function shutdown(signal) {
  // A second signal means "now": do not wait for requests in flight.
  process.once(signal, () => process.exit(130));
  await server.close();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);

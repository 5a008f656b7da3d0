// @ts-check
/**
 * The project's own local S3-compatible endpoint: s3rver, with the multipart calls it lacks
 * (see s3rver-compat.mjs), for `npm start` and for every test that needs object storage.
 * Production uses MinIO; nothing here is meant to face the network.
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import { installS3rverCompat } from './s3rver-compat.mjs';

// s3rver is CommonJS without type declarations; its classes are used untyped.
const fromS3rver = createRequire(createRequire(import.meta.url).resolve('s3rver'));
const S3rver = fromS3rver('./s3rver');
const AWSAccount = fromS3rver('./models/account');

// Longer than any client's idle pool, so a client never reuses a socket the server is closing.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
// How long close() lets requests in flight finish before cutting their connections.
const CLOSE_GRACE_MS = 2_000;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * @typedef {object} LocalS3Options
 * @property {string} [host] interface to listen on (default 127.0.0.1)
 * @property {number} [port] TCP port; 0 picks a free one (default 9000)
 * @property {string} directory where objects are kept; created if missing
 * @property {string} [accessKey] default 'lexy-local'
 * @property {string} [secretKey] default 'lexy-local-secret'
 * @property {string[]} [buckets] created if missing
 * @property {boolean} [logRequests] log every request to stdout (default false)
 *
 * @typedef {object} LocalS3
 * @property {string} endpoint e.g. http://127.0.0.1:9000
 * @property {number} port the port actually bound
 * @property {() => Promise<void>} close stops the server; idempotent
 */

/**
 * Starts the local S3 endpoint. Rejects with a one-line message (and `code`) when the port is
 * taken.
 *
 * @param {LocalS3Options} options
 * @returns {Promise<LocalS3>}
 */
export async function startLocalS3({
  host = '127.0.0.1',
  port = 9000,
  directory,
  accessKey = 'lexy-local',
  secretKey = 'lexy-local-secret',
  buckets = [],
  logRequests = false,
}) {
  if (!directory) throw new TypeError('startLocalS3: `directory` is required');
  for (const bucket of buckets) {
    if (!BUCKET_NAME.test(bucket)) throw new TypeError(`startLocalS3: invalid bucket name "${bucket}"`);
  }
  await fs.mkdir(directory, { recursive: true });

  const app = new S3rver({
    directory,
    silent: !logRequests,
    // Path-style only, as the project's clients use: a host name such as `s3.local` must not
    // be mistaken for a bucket.
    vhostBuckets: false,
  });
  installS3rverCompat(app);
  app.on('error', reportServerError);
  for (const bucket of buckets) await app.store.putBucket(bucket);

  // s3rver checks that the access key exists (it does not verify V4 signatures).
  const releaseKey = registerKey(accessKey, secretKey);
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  try {
    await listen(server, port, host);
  } catch (err) {
    releaseKey();
    app.logger.close();
    throw err;
  }

  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  /** @type {Promise<void> | undefined} */
  let closing;
  return {
    endpoint: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    close() {
      closing ??= new Promise((/** @type {(value?: void) => void} */ resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
      }).then(() => {
        releaseKey();
        app.logger.close();
      });
      return closing;
    },
  };
}

/**
 * @param {http.Server} server
 * @param {number} port
 * @param {string} host
 * @returns {Promise<void>}
 */
function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', (/** @type {NodeJS.ErrnoException} */ err) => {
      const where = `${host}:${port}`;
      const message =
        err.code === 'EADDRINUSE'
          ? `port ${port} on ${host} is already in use (another local S3 endpoint running? set S3_PORT)`
          : err.code === 'EACCES'
            ? `not allowed to listen on ${where}`
            : err.code === 'EADDRNOTAVAIL'
              ? `address ${host} is not available on this machine`
              : `cannot listen on ${where}: ${err.message}`;
      reject(Object.assign(new Error(`local S3: ${message}`), { code: err.code }));
    });
    server.listen(port, host, () => resolve());
  });
}

// The account registry is one per process; several servers (tests in one worker) share keys.
/** @type {Map<string, number>} */
const keyUsers = new Map();

/**
 * @param {string} accessKey
 * @param {string} secretKey
 * @returns {() => void} releases the key once no server uses it
 */
function registerKey(accessKey, secretKey) {
  const account = AWSAccount.DUMMY_ACCOUNT;
  const builtIn = accessKey === 'S3RVER';
  if (!builtIn) account.createKeyPair(accessKey, secretKey);
  keyUsers.set(accessKey, (keyUsers.get(accessKey) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const users = (keyUsers.get(accessKey) ?? 1) - 1;
    if (users > 0) return void keyUsers.set(accessKey, users);
    keyUsers.delete(accessKey);
    if (!builtIn) account.revokeAccessKey(accessKey);
  };
}

/**
 * Koa reports errors here after s3rver has answered them. Client errors are the client's
 * business; server faults are printed as one line even when request logging is off, because
 * they are bugs. A client that hangs up mid-request is neither.
 *
 * @param {Error & { status?: number, code?: string }} err
 * @param {any} ctx
 */
function reportServerError(err, ctx) {
  if ((err.status ?? 500) < 500) return;
  if (['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE'].includes(err.code ?? '')) return;
  console.error(`local S3: ${ctx?.method} ${ctx?.path} failed: ${err.stack?.split('\n').slice(0, 2).join(' ') ?? err}`);
}

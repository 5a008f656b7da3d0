import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startGateway, type GatewayReplica } from '../../../tools/platform/platform.mjs';
import { bearer, me, postJson } from './support/accounts.js';
import {
  api,
  gatewayUrl,
  json,
  patternStream,
  query,
  request,
  settledTraffic,
  sha256Of,
  uploadMultipart,
} from './support/e2e.js';

// DL-06: a download whose storage dies midway (the S3 process is killed at 40 % and started
// again) ends short of Content-Length, resumes with Range on its ticket, and is counted once.
// The case asks for 1 GiB; 256 MiB keeps this file at seconds on a 2-core machine and is still
// far more than every socket buffer between storage and client, so the cut lands midway.
const SIZE = 256 * 1024 * 1024;
const SEED = 'storage-restart';
const CUT_AT = Math.floor(SIZE * 0.4);
// The anonymous group's own 3 MB/s would make this file take minutes: fast, but still throttled
// (the gate stays in the path every non-admin download takes), for this file only.
const SPEED = 64_000_000;
// How long the gateway may take to notice that its storage died and to end the response.
const ABORT_DEADLINE_MS = 20_000;

const SERVE_S3 = fileURLToPath(new URL('../../../tools/s3/serve.mjs', import.meta.url));
const platformEnv = () => JSON.parse(process.env['E2E_PLATFORM_ENV'] ?? '{}') as Record<string, string>;
const mainPort = () => Number(new URL(gatewayUrl()).port);

/** A free TCP port on the loopback interface. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The project's local S3 endpoint (tools/s3/serve.mjs) as a process of its own, on the data
 * folder and with the keys of the e2e platform's, so it serves the very objects that platform
 * stored. A process, so it can be killed outright (SIGKILL), as a crashed storage would be.
 */
class StorageProcess {
  readonly logs: string[] = [];
  private child: ChildProcess | undefined;

  constructor(readonly port: number) {}

  get endpoint() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const env = platformEnv();
    const child = spawn(process.execPath, [SERVE_S3], {
      env: {
        ...env,
        S3_PORT: String(this.port),
        S3_DATA_DIR: env['S3_DATA_DIR'],
        S3_BUCKET: env['S3_BUCKET'],
        S3_ACCESS_KEY: env['S3_ACCESS_KEY'] ?? '',
        S3_SECRET_KEY: env['S3_SECRET_KEY'] ?? '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream! }).on('line', (line) => {
          this.logs.push(line);
          if (line.includes('listening on')) resolve();
        });
      }
      child.once('exit', (code, signal) => reject(new Error(`local S3 exited while starting (${code ?? signal})`)));
    });
  }

  /** SIGKILL: no grace for requests in flight; resolves once the process is gone. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    return exited;
  }
}

interface Transfer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Body bytes that arrived. */
  received: number;
  /** The body reached Content-Length ('end' of a complete message). */
  complete: boolean;
  /** What the client saw instead of a clean end. */
  error: string | undefined;
  /** The connection was still open ABORT_DEADLINE_MS after `onBytes` fired. */
  hung: boolean;
}

/**
 * One GET whose body goes into `hash`; `onBytes` runs once `atBytes` body bytes have arrived
 * (the client keeps reading). Resolves when the connection is over, however it ended.
 */
function transfer(
  url: string,
  headers: http.OutgoingHttpHeaders,
  hash: Hash,
  { atBytes = Infinity, onBytes = () => undefined }: { atBytes?: number; onBytes?: () => void } = {},
): Promise<Transfer> {
  return new Promise((resolve, reject) => {
    let received = 0;
    let fired = false;
    let hung = false;
    let error: string | undefined;
    let deadline: NodeJS.Timeout | undefined;
    const outgoing = http.get(url, { headers, agent: false }, (response) => {
      response.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        received += chunk.length;
        if (!fired && received >= atBytes) {
          fired = true;
          onBytes();
          deadline = setTimeout(() => {
            hung = true;
            outgoing.destroy();
          }, ABORT_DEADLINE_MS);
        }
      });
      response.on('error', (cause: NodeJS.ErrnoException) => (error ??= `${cause.code ?? ''} ${cause.message}`));
      response.on('close', () => {
        clearTimeout(deadline);
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          received,
          complete: response.complete,
          error,
          hung,
        });
      });
    });
    outgoing.on('error', (cause) => (error === undefined && !fired ? reject(cause) : undefined));
  });
}

let storage: StorageProcess | undefined;
let replica: GatewayReplica | undefined;
const replicaLogs: string[] = [];
let savedSpeed: number | null | undefined;
let token: string;
let userId: string;
let file: { id: string; code: string; size: number; sha256: string };
let expectedSha256: string;

beforeAll(async () => {
  const [group] = await query<{ download_bytes_per_second: number | null }>(
    'quotas',
    "SELECT download_bytes_per_second FROM `groups` WHERE name = 'anonymous'",
  );
  savedSpeed = group?.download_bytes_per_second ?? null;
  await query('quotas', "UPDATE `groups` SET download_bytes_per_second = ? WHERE name = 'anonymous'", [SPEED]);

  // An anonymous identity uploads (through the platform's gateway) and later downloads.
  const session = await postJson('/auth/anonymous', {});
  expect(session.status).toBe(200);
  ({ accessToken: token } = json(session));
  userId = json(session).user.id;
  const uploaded = await uploadMultipart(patternStream(SIZE, SEED), { filename: 'big.bin', headers: bearer(token) });
  expect(uploaded.status).toBe(201);
  file = json(uploaded).file;
  expectedSha256 = await sha256Of(patternStream(SIZE, SEED));
  expect(file.sha256).toBe(expectedSha256);

  // A storage endpoint of this file's own, and a gateway replica reading through it.
  storage = new StorageProcess(await freePort());
  await storage.start();
  replica = await startGateway({
    env: { ...platformEnv(), S3_ENDPOINT: storage.endpoint },
    port: mainPort() + 3,
    log: (_name, line) => replicaLogs.push(line),
  });
}, 240_000);

afterAll(async () => {
  await replica?.stop();
  await storage?.kill('SIGTERM');
  if (savedSpeed !== undefined) {
    await query('quotas', "UPDATE `groups` SET download_bytes_per_second = ? WHERE name = 'anonymous'", [savedSpeed]);
    // Gateways reread a group's speed at most 2 s after a change: leave none with ours.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
  }
});

describe('DL-06: a download survives a storage restart', () => {
  it('ends short of Content-Length when storage dies at 40 %, resumes on its ticket (206), counted once, charged per byte', async () => {
    const on = (path: string) => `${replica!.url}/api/v1${path}`;
    const who = bearer(token);
    const pickupDownload = on(`/files/pickup/${file.code}/download`);

    const meta = await request('GET', on(`/files/pickup/${file.code}`), { headers: who });
    expect(meta.status).toBe(200);
    expect(meta.headers['cache-control']).toBe('no-store');

    // 1. The download starts; at 40 % the storage process is killed (the client keeps reading).
    const hash = createHash('sha256');
    let storageGone: Promise<void> | undefined;
    const first = await transfer(pickupDownload, who, hash, {
      atBytes: CUT_AT,
      onBytes: () => (storageGone = storage!.kill()),
    });
    await storageGone;
    const diagnostics = `client: ${JSON.stringify({ ...first, headers: undefined })}\nreplica:\n${replicaLogs.slice(-20).join('\n')}`;
    expect(first.status).toBe(200);
    expect(first.headers['content-length']).toBe(String(SIZE));
    expect(first.headers['cache-control']).toBe('no-store');
    const ticket = String(first.headers['x-download-ticket'] ?? '');
    expect(ticket).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]+$/);
    // The gateway aborted the connection: a short read, not a clean end, and not a hang.
    expect({ hung: first.hung, complete: first.complete }).toEqual({ hung: false, complete: false });
    expect(first.error).toBeDefined();
    expect(first.received).toBeGreaterThanOrEqual(CUT_AT);
    if (first.received >= SIZE) throw new Error(`the whole body arrived before storage died\n${diagnostics}`);

    // Charged for what the client got, exactly (the reservation of the whole length is given back):
    // a chunk counts once its socket write has called back, so it is in the kernel's send buffer,
    // and destroying the socket still delivers what that buffer holds.
    expect(await settledTraffic(userId)).toBe(first.received);

    // 2. While storage is still down, a resume and a new download both answer 503 (a fault, not
    //    a 500: retry later), not cacheable, charge no traffic and count no download.
    for (const headers of [{ ...who, range: `bytes=${first.received}-` }, who]) {
      const query = headers === who ? '' : `?ticket=${encodeURIComponent(ticket)}`;
      const early = await request('GET', `${pickupDownload}${query}`, { headers });
      expect([early.status, json(early).error.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
      expect(early.headers['retry-after']).toBe('5');
      expect(early.headers['cache-control']).toBe('no-store');
      expect(early.headers['x-download-ticket']).toBeUndefined();
      expect(early.headers['repr-digest']).toBeUndefined();
    }
    expect(await settledTraffic(userId)).toBe(first.received);
    expect(json(await request('GET', api(`/files/${file.id}`), { headers: who })).file.downloads).toBe(1);

    // 3. Storage comes back on the same port; the same ticket resumes where the body stopped.
    await storage!.start();
    const rest = await transfer(
      `${pickupDownload}?ticket=${encodeURIComponent(ticket)}`,
      {
        ...who,
        range: `bytes=${first.received}-`,
      },
      hash,
    );
    expect(rest.status).toBe(206);
    expect(rest.headers['content-range']).toBe(`bytes ${first.received}-${SIZE - 1}/${SIZE}`);
    expect(rest.headers['content-length']).toBe(String(SIZE - first.received));
    expect(rest.headers['cache-control']).toBe('no-store');
    expect(rest.headers['x-download-ticket']).toBeUndefined();
    expect({ complete: rest.complete, error: rest.error }).toEqual({ complete: true, error: undefined });
    expect(rest.received).toBe(SIZE - first.received);
    expect(hash.digest('hex')).toBe(expectedSha256);

    // 4. One download, and exactly the file's bytes of traffic over both requests.
    const own = await request('GET', api(`/files/${file.id}`), { headers: who });
    expect(own.status).toBe(200);
    expect(json(own).file.downloads).toBe(1);
    expect(await settledTraffic(userId)).toBe(SIZE);
    expect(json(await me(token)).quota.usage.trafficBytes).toBe(SIZE);
  }, 240_000);
});

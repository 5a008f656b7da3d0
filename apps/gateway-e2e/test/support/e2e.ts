import { createHash, randomBytes, randomInt } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client as MinioClient } from 'minio';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { rememberSecrets, secretsOf } from './issued-secrets.js';

export const gatewayUrl = () => process.env['E2E_GATEWAY_URL'] ?? 'http://127.0.0.1:18080';
export const api = (path: string) => `${gatewayUrl()}/api/v1${path}`;

/** A fresh identity for one test: tokenless callers with a fingerprint are their own owner. */
export const newFingerprint = () => `e2e-${randomBytes(12).toString('hex')}`;

/** Deterministic bytes of any length, produced on the fly (never one big buffer). */
export function patternStream(sizeBytes: number, seed = 'lexy'): Readable {
  const block = createHash('sha512').update(seed).digest();
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < chunk.length; i += block.length) block.copy(chunk, i);
  let sent = 0;
  let counter = 0;
  return new Readable({
    read() {
      if (sent >= sizeBytes) {
        this.push(null);
        return;
      }
      const length = Math.min(chunk.length, sizeBytes - sent);
      const next = Buffer.from(chunk.subarray(0, length));
      next.writeUInt32BE(counter++ >>> 0, 0);
      sent += length;
      this.push(next);
    },
  });
}

export async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One HTTP request with a streamed body; resolves with the whole (small) response. */
export function request(
  method: string,
  url: string,
  { headers = {}, body }: { headers?: http.OutgoingHttpHeaders; body?: Readable | Buffer | string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const outgoing = http.request(url, { method, headers }, (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const answer = { status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) };
        rememberSecrets(secretsOf(headers, answer.headers, answer.body));
        resolve(answer);
      });
      response.on('error', reject);
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      // A server that answers before reading the whole body (a refusal) may close while the
      // body is still being written: the answer still arrives, so give it a moment.
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') {
        setTimeout(() => answered || reject(error), 1_000).unref();
      } else {
        reject(error);
      }
    });
    if (body instanceof Readable) {
      pipeline(body, outgoing).catch(() => undefined); // an early answer may cut the body short
    } else {
      outgoing.end(body);
    }
  });
}

export const json = (response: RawResponse) => JSON.parse(response.body.toString('utf8')) as Record<string, any>;

/** A multipart/form-data body around a streamed file part. */
export function multipartBody(
  file: Readable,
  { filename = 'data.bin', mimeType = 'application/octet-stream', fields = {} as Record<string, string> } = {},
): { body: Readable; contentType: string } {
  if (fields['pin']) rememberSecrets([fields['pin']]);
  const boundary = `----lexy${randomBytes(8).toString('hex')}`;
  const head =
    Object.entries(fields)
      .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join('') +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
    `Content-Type: ${mimeType}\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  async function* parts() {
    yield Buffer.from(head);
    for await (const chunk of file) yield chunk as Buffer;
    yield Buffer.from(tail);
  }
  return { body: Readable.from(parts()), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function uploadMultipart(
  file: Readable,
  options: {
    filename?: string;
    mimeType?: string;
    fields?: Record<string, string>;
    headers?: http.OutgoingHttpHeaders;
  } = {},
) {
  const { body, contentType } = multipartBody(file, options);
  return request('POST', api('/files'), { headers: { ...options.headers, 'content-type': contentType }, body });
}

/** Streams a download and hashes it without keeping it. */
export function download(url: string, headers: http.OutgoingHttpHeaders = {}) {
  return new Promise<{
    status: number;
    headers: http.IncomingHttpHeaders;
    sha256: string;
    bytes: number;
    text: string;
  }>((resolve, reject) => {
    const query = new URL(url).searchParams;
    rememberSecrets(['pass', 't', 'ticket'].flatMap((name) => query.get(name) ?? []));
    http
      .get(url, { headers }, (response) => {
        rememberSecrets(secretsOf(headers, response.headers, Buffer.alloc(0)));
        const hash = createHash('sha256');
        let bytes = 0;
        const head: Buffer[] = [];
        response.on('data', (chunk: Buffer) => {
          hash.update(chunk);
          if (bytes < 4096) head.push(chunk);
          bytes += chunk.length;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            sha256: hash.digest('hex'),
            bytes,
            text: Buffer.concat(head).toString('utf8'),
          }),
        );
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

// ---- what is left behind: the bucket and the services' tables ----

/** A `minio` client of the suite's local S3 endpoint. */
export function s3() {
  const endpoint = new URL(process.env['E2E_S3_ENDPOINT'] ?? 'http://127.0.0.1:19000');
  return new MinioClient({
    endPoint: endpoint.hostname,
    port: Number(endpoint.port),
    useSSL: false,
    accessKey: 'lexy-local',
    secretKey: 'lexy-local-secret',
  });
}
export const bucket = () => process.env['E2E_S3_BUCKET'] ?? 'lexy-files';

export async function bucketKeys(): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of s3().listObjectsV2(bucket(), '', true)) if (item.name) keys.push(item.name);
  return keys.sort();
}

export async function incompleteUploads(): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of s3().listIncompleteUploads(bucket(), '', true)) keys.push(item.key);
  return keys;
}

export async function query<T = RowDataPacket>(
  service: 'files' | 'quotas' | 'auth' | 'relay',
  sql: string,
  params: unknown[] = [],
) {
  const connection = await createConnection({
    host: process.env['MYSQL_HOST'] ?? '127.0.0.1',
    port: Number(process.env['MYSQL_PORT'] ?? 3306),
    user: process.env['MYSQL_USER'] ?? 'root',
    password: process.env['MYSQL_PASSWORD'] ?? '',
    database: `${process.env['E2E_DATABASE_PREFIX'] ?? 'lexy_e2e'}_${service}`,
  });
  try {
    const [rows] = await connection.query(sql, params);
    return rows as T[];
  } finally {
    await connection.end();
  }
}

/**
 * The owner key the gateway derives from a fingerprint sent from `addressKey` (see CallerGuard):
 * the pair, so a fingerprint narrows what an address owns. Quotas stay with the address.
 */
export function fingerprintOwner(fingerprint: string, addressKey = 'ip:127.0.0.1'): string {
  return `fp:${createHash('sha256').update(`${addressKey}\n${fingerprint}`).digest('hex').slice(0, 40)}`;
}

/** A tokenless device of its own: a source address (through the trusted test proxy) and a fingerprint. */
export function newDevice(address = `198.18.${randomInt(0, 255)}.${randomInt(1, 254)}`) {
  const fingerprint = newFingerprint();
  const account = `ip:${address}`;
  return {
    headers: { 'x-forwarded-for': address, 'x-device-fingerprint': fingerprint },
    owner: fingerprintOwner(fingerprint, account),
    /** Its quota account: the address. */
    account,
  };
}

/** Everything an owner (rows in files) and its quota account (rows in quotas) may have left behind. */
export async function leftovers(owner: string, account = owner) {
  const [uploads] = await query<{ n: number }>('files', 'SELECT COUNT(*) AS n FROM uploads WHERE owner_id = ?', [
    owner,
  ]);
  const [files] = await query<{ n: number }>('files', 'SELECT COUNT(*) AS n FROM files WHERE owner_id = ?', [owner]);
  const [reservations] = await query<{ n: number }>(
    'quotas',
    'SELECT COUNT(*) AS n FROM reservations WHERE owner_id = ?',
    [account],
  );
  const accounts = await query<{ reserved_bytes: number; used_bytes: number }>(
    'quotas',
    'SELECT reserved_bytes, used_bytes FROM storage_accounts WHERE owner_id = ?',
    [account],
  );
  return {
    uploads: Number(uploads?.n ?? 0),
    files: Number(files?.n ?? 0),
    reservations: Number(reservations?.n ?? 0),
    reservedBytes: Number(accounts[0]?.reserved_bytes ?? 0),
    usedBytes: Number(accounts[0]?.used_bytes ?? 0),
  };
}

export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await probe();
  }
  return value;
}

/** Traffic the quotas ledger holds for an account, once no download of it is in flight. */
export async function settledTraffic(account: string): Promise<number> {
  await eventually(
    async () =>
      Number(
        (
          await query<{ n: number }>('quotas', 'SELECT COUNT(*) AS n FROM traffic_reservations WHERE owner_id = ?', [
            account,
          ])
        )[0]?.n,
      ),
    (open) => open === 0,
  );
  const [row] = await query<{ bytes: number | null }>(
    'quotas',
    'SELECT SUM(bytes) AS bytes FROM traffic_days WHERE owner_id = ?',
    [account],
  );
  return Number(row?.bytes ?? 0);
}

/**
 * A fresh source address for each caller a test needs (sent as X-Forwarded-For through the
 * trusted proxy). Distinct within a run, since a repeated source would inherit another test's
 * failures: consecutive addresses of the benchmarking range 198.18.0.0/15 from a random start.
 */
export function sourceAddresses(): () => string {
  let next = randomInt(0, 60_000);
  return () => {
    const n = next++;
    return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
  };
}

/** A random well-formed pickup code (a wrong guess: among 32^5 codes, one that names a file is as good as impossible). */
export const wrongPickupCode = () =>
  `Z${randomInt(0, 32 ** 5)
    .toString(32)
    .toUpperCase()
    .padStart(5, '0')
    .replace(/[ILOU]/g, 'Z')}`;

import { createHash, type Hash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { bearer, postJson, register, type Session } from './accounts.js';
import { api, gatewayUrl, json, request } from './e2e.js';
import { socketWithToken, type TestSocket } from './sockets.js';

// Relayed transfers for the /ws e2e tests (api.md § WebSocket "Bytes (mode relay)"): two
// devices of one account, pattern bytes, per-file SHA-256 on both sides.

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const FRAME_PAYLOAD = 64 * KiB;

/** The 16 bytes of a UUID, in RFC 9562 byte order: the prefix of every binary frame. */
export const idBytes = (id: string) => Buffer.from(id.replaceAll('-', ''), 'hex');

/** SHA-256 of each file of a byte stream, the files back to back by their declared sizes. */
export class FileHashes {
  private readonly hashes: Hash[];
  private file = 0;
  private leftInFile: number;

  constructor(private readonly sizes: number[]) {
    this.hashes = sizes.map(() => createHash('sha256'));
    this.leftInFile = sizes[0] ?? 0;
  }

  update(bytes: Buffer): void {
    let rest = bytes;
    while (rest.length > 0 && this.file < this.sizes.length) {
      const part = rest.subarray(0, this.leftInFile);
      this.hashes[this.file]!.update(part);
      rest = rest.subarray(part.length);
      this.leftInFile -= part.length;
      if (this.leftInFile === 0) this.leftInFile = this.sizes[++this.file] ?? 0;
    }
  }

  digests(): string[] {
    return this.hashes.map((hash) => hash.digest('hex'));
  }
}

/** Pattern bytes: the byte at offset n is n mod 251 (a prime, so frames do not repeat). */
const PATTERN = Buffer.from(Array.from({ length: FRAME_PAYLOAD + 251 }, (_value, index) => index % 251));
const patternAt = (offset: number, length: number) => PATTERN.subarray(offset % 251, (offset % 251) + length);

/** The per-file SHA-256s of the pattern laid out as files of `sizes`. */
export function patternDigests(sizes: number[]): string[] {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const hashes = new FileHashes(sizes);
  for (let offset = 0; offset < total; offset += FRAME_PAYLOAD) {
    hashes.update(patternAt(offset, Math.min(FRAME_PAYLOAD, total - offset)));
  }
  return hashes.digests();
}

/**
 * Sends the pattern bytes [from, until) for `transferId` in 64 KiB frames, minding its own
 * buffer, until done or `stop()`; resolves with the offset reached.
 */
export async function sendPattern(
  socket: TestSocket,
  transferId: string,
  { from = 0, until, stop = () => false }: { from?: number; until: number; stop?: () => boolean },
): Promise<number> {
  const prefix = idBytes(transferId);
  let offset = from;
  while (offset < until && !stop() && socket.ws.readyState === socket.ws.OPEN) {
    const payload = patternAt(offset, Math.min(FRAME_PAYLOAD, until - offset));
    socket.ws.send(Buffer.concat([prefix, payload]));
    offset += payload.length;
    while (socket.ws.bufferedAmount > 4 * MiB && !stop()) await sleep(5);
  }
  return offset;
}

/** Sends every byte of the files and returns their SHA-256s (what transfer.sent carries). */
export async function streamPattern(socket: TestSocket, transferId: string, sizes: number[]): Promise<string[]> {
  await sendPattern(socket, transferId, { until: sizes.reduce((sum, size) => sum + size, 0) });
  return patternDigests(sizes);
}

/** What a receiving device got, across its sockets: the bytes, whether every prefix matched, their hashes. */
export interface Received {
  bytes: number;
  prefixesMatch: boolean;
  hashes: FileHashes;
}

/** Hashes the payload of every binary frame of the transfer that `socket` receives (into `received`, to go on after a reconnect). */
export function receiveInto(
  socket: TestSocket,
  transferId: string,
  sizes: number[],
  received: Received = { bytes: 0, prefixesMatch: true, hashes: new FileHashes(sizes) },
): Received {
  const prefix = idBytes(transferId);
  socket.ws.on('message', (data: Buffer, isBinary) => {
    if (!isBinary) return;
    if (!data.subarray(0, 16).equals(prefix)) received.prefixesMatch = false;
    const payload = data.subarray(16);
    received.bytes += payload.length;
    received.hashes.update(payload);
  });
  return received;
}

/** The latest transfer.progress the sender was told. */
export function latestProgress(socket: TestSocket) {
  const latest = { bytes: 0, count: 0 };
  socket.ws.on('message', (data: Buffer, isBinary) => {
    if (isBinary) return;
    const event = JSON.parse(data.toString()) as { type: string; bytes?: number };
    if (event.type !== 'transfer.progress') return;
    latest.bytes = event.bytes ?? 0;
    latest.count += 1;
  });
  return latest;
}

export async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}

export interface TransferOptions {
  /** The gateway each device's socket goes through (another replica for cross-replica tests). */
  senderGateway?: string;
  receiverGateway?: string;
  /** Sockets to close after the test. */
  open: TestSocket[];
  /** The account (a new user unless given). */
  session?: Session;
  mode?: 'relay' | 'p2p';
}

/** A user with two devices, each with a ready socket, and an accepted relay transfer of `sizes` between them. */
export async function acceptedTransfer(sizes: number[], options: TransferOptions) {
  const { senderGateway = gatewayUrl(), receiverGateway = gatewayUrl(), open } = options;
  const session = options.session ?? (await register());
  const auth = bearer(session.accessToken);
  const ids: string[] = [];
  for (const name of ['Laptop', 'Phone']) {
    const response = await postJson('/devices', { name, platform: 'web' }, auth);
    expect(response.status).toBe(201);
    ids.push((json(response).device as { id: string }).id);
  }
  const [laptop, phone] = ids as [string, string];
  const connectSender = (gateway = senderGateway) => {
    const socket = socketWithToken(session.accessToken, laptop, {}, gateway);
    open.push(socket);
    return socket;
  };
  const connectReceiver = (gateway = receiverGateway) => {
    const socket = socketWithToken(session.accessToken, phone, {}, gateway);
    open.push(socket);
    return socket;
  };
  const sender = connectSender();
  const receiver = connectReceiver();
  await Promise.all([sender.next('ready'), receiver.next('ready')]);

  const files = sizes.map((size, index) => ({ name: `f${index}.bin`, size, mimeType: 'application/octet-stream' }));
  const mode = options.mode ?? 'relay';
  const created = await postJson('/transfers', { fromDeviceId: laptop, toDeviceId: phone, files, mode }, auth);
  expect(created.status).toBe(201);
  const transferId = (json(created).transfer as { id: string }).id;
  const accepted = await request('POST', api(`/transfers/${transferId}/accept`), { headers: auth });
  expect(accepted.status).toBe(200);
  await Promise.all([sender.next('transfer.accepted'), receiver.next('transfer.accepted')]);
  const shown = async () =>
    json(await request('GET', api(`/transfers/${transferId}`), { headers: auth })).transfer as Record<string, any>;
  const total = sizes.reduce((sum, size) => sum + size, 0);
  return {
    sender,
    receiver,
    transferId,
    shown,
    total,
    auth,
    session,
    connectSender,
    connectReceiver,
    deviceIds: { laptop, phone },
  };
}

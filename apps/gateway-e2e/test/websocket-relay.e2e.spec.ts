import { createHash, type Hash } from 'node:crypto';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { api, json, request } from './support/e2e.js';
import { bearer, postJson, register } from './support/accounts.js';
import { socketWithToken, type TestSocket } from './support/sockets.js';

// Relayed bytes between two devices on one relay replica (api.md § WebSocket "Bytes (mode
// relay)", security-cases WS-02/WS-04), through the gateway's public port.

const KiB = 1024;
const MiB = 1024 * KiB;
const FRAME_PAYLOAD = 64 * KiB;

/** The 16 bytes of a UUID, in RFC 9562 byte order: the prefix of every binary frame. */
const idBytes = (id: string) => Buffer.from(id.replaceAll('-', ''), 'hex');

/** SHA-256 of each file of a byte stream, the files back to back by their declared sizes. */
class FileHashes {
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

/** Sends `total` pattern bytes for `transferId` in 64 KiB frames, minding its own buffer; returns the per-file SHA-256s. */
async function streamPattern(socket: TestSocket, transferId: string, sizes: number[]): Promise<string[]> {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const hashes = new FileHashes(sizes);
  const prefix = idBytes(transferId);
  for (let offset = 0; offset < total; offset += FRAME_PAYLOAD) {
    const payload = patternAt(offset, Math.min(FRAME_PAYLOAD, total - offset));
    hashes.update(payload);
    socket.ws.send(Buffer.concat([prefix, payload]));
    while (socket.ws.bufferedAmount > 4 * MiB) await sleep(5);
  }
  return hashes.digests();
}

/** The receiving side: hashes the payload of every binary frame of the transfer. */
function receiveInto(socket: TestSocket, transferId: string, sizes: number[]) {
  const hashes = new FileHashes(sizes);
  const prefix = idBytes(transferId);
  const received = { bytes: 0, prefixesMatch: true, hashes };
  socket.ws.on('message', (data: Buffer, isBinary) => {
    if (!isBinary) return;
    if (!data.subarray(0, 16).equals(prefix)) received.prefixesMatch = false;
    const payload = data.subarray(16);
    received.bytes += payload.length;
    hashes.update(payload);
  });
  return received;
}

/** The latest transfer.progress the sender was told. */
function latestProgress(socket: TestSocket) {
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

const open: TestSocket[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((socket) => socket.close()));
});

/** A user with two devices, each with a ready socket, and an accepted relay transfer of `sizes` between them. */
async function acceptedTransfer(sizes: number[]) {
  const session = await register();
  const auth = bearer(session.accessToken);
  const ids: string[] = [];
  for (const name of ['Laptop', 'Phone']) {
    const response = await postJson('/devices', { name, platform: 'web' }, auth);
    expect(response.status).toBe(201);
    ids.push((json(response).device as { id: string }).id);
  }
  const [laptop, phone] = ids as [string, string];
  const sender = socketWithToken(session.accessToken, laptop);
  const receiver = socketWithToken(session.accessToken, phone);
  open.push(sender, receiver);
  await Promise.all([sender.next('ready'), receiver.next('ready')]);

  const files = sizes.map((size, index) => ({ name: `f${index}.bin`, size, mimeType: 'application/octet-stream' }));
  const created = await postJson('/transfers', { fromDeviceId: laptop, toDeviceId: phone, files, mode: 'relay' }, auth);
  expect(created.status).toBe(201);
  const transferId = (json(created).transfer as { id: string }).id;
  const accepted = await request('POST', api(`/transfers/${transferId}/accept`), { headers: auth });
  expect(accepted.status).toBe(200);
  await Promise.all([sender.next('transfer.accepted'), receiver.next('transfer.accepted')]);
  const shown = async () =>
    json(await request('GET', api(`/transfers/${transferId}`), { headers: auth })).transfer as Record<string, any>;
  return { sender, receiver, transferId, shown, total: sizes.reduce((sum, size) => sum + size, 0) };
}

describe('/ws relayed bytes', () => {
  it('relays two files to the receiver unchanged and completes on its checksums', async () => {
    const sizes = [3 * MiB, 1];
    const { sender, receiver, transferId, shown, total } = await acceptedTransfer(sizes);
    const received = receiveInto(receiver, transferId, sizes);

    const sha256 = await streamPattern(sender, transferId, sizes);
    sender.send({ type: 'transfer.sent', transferId, sha256 });
    const sent = await receiver.next('transfer.sent');
    expect(sent).toEqual({ type: 'transfer.sent', transferId, sha256 });
    expect(received.bytes).toBe(total);
    expect(received.prefixesMatch).toBe(true);
    const digests = received.hashes.digests();
    expect(digests).toEqual(sha256);

    receiver.send({ type: 'transfer.received', transferId, ok: true });
    for (const socket of [sender, receiver]) {
      const completed = await socket.next('transfer.completed');
      expect(completed.transfer).toMatchObject({ id: transferId, status: 'completed', deliveredBytes: total });
    }
    expect(await shown()).toMatchObject({ status: 'completed', deliveredBytes: total, failureCode: null });
  });

  it('stops reading the sender while the receiver does not read, then completes (WS-04)', async () => {
    const sizes = [64 * MiB];
    const { sender, receiver, transferId, shown, total } = await acceptedTransfer(sizes);
    const received = receiveInto(receiver, transferId, sizes);
    const progress = latestProgress(sender);
    const receiverSocket = (receiver.ws as unknown as { _socket: Socket })._socket;

    const streaming = streamPattern(sender, transferId, sizes);
    const deadline = Date.now() + 30_000;
    while (progress.bytes < 4 * MiB && Date.now() < deadline) await sleep(20);
    receiverSocket.pause();
    await sleep(1_000);
    const stalledAt = progress.bytes;
    await sleep(1_000);
    // Without backpressure the sender would run tens of MiB ahead in a second; kernel buffers
    // may still take a little, so "stalled" means well under one MiB more.
    expect(progress.bytes - stalledAt).toBeLessThan(MiB);
    expect(stalledAt).toBeLessThan(total);
    receiverSocket.resume();

    const sha256 = await streaming;
    sender.send({ type: 'transfer.sent', transferId, sha256 });
    await receiver.next('transfer.sent', () => true, 30_000);
    expect(received.bytes).toBe(total);
    expect(received.hashes.digests()).toEqual(sha256);
    receiver.send({ type: 'transfer.received', transferId, ok: true });
    await sender.next('transfer.completed');
    expect(progress.count).toBeGreaterThan(1);
    expect(await shown()).toMatchObject({ status: 'completed', deliveredBytes: total });
  });

  it('fails with PEER_GONE, telling the sender within 5 s, when the receiver disconnects mid-stream (WS-04)', async () => {
    const sizes = [8 * MiB];
    const { sender, receiver, transferId, shown } = await acceptedTransfer(sizes);
    // Half the bytes, then the receiver goes away.
    await streamPattern(sender, transferId, [4 * MiB]);
    await sender.next('transfer.progress');
    await receiver.close();
    const closedAt = Date.now();
    const failed = await sender.next('transfer.failed');
    expect(Date.now() - closedAt).toBeLessThan(5_000);
    expect(failed.transfer).toMatchObject({ id: transferId, status: 'failed', failureCode: 'PEER_GONE' });
    expect(await shown()).toMatchObject({ status: 'failed', failureCode: 'PEER_GONE' });
  });

  it('closes 4403 on a frame for a transfer the socket does not send (WS-02)', async () => {
    const { receiver, transferId, shown } = await acceptedTransfer([10]);
    receiver.ws.send(Buffer.concat([idBytes(transferId), Buffer.from('0123456789')]));
    expect((await receiver.closed).code).toBe(4403);
    expect((await shown()).status).toBe('accepted');
  });

  it('fails with CHECKSUM_MISMATCH when the receiver’s checksums differ', async () => {
    const sizes = [100 * KiB];
    const { sender, receiver, transferId, shown } = await acceptedTransfer(sizes);
    const sha256 = await streamPattern(sender, transferId, sizes);
    sender.send({ type: 'transfer.sent', transferId, sha256 });
    await receiver.next('transfer.sent');
    receiver.send({ type: 'transfer.received', transferId, ok: false });
    for (const socket of [sender, receiver]) {
      const failed = await socket.next('transfer.failed');
      expect(failed.transfer).toMatchObject({ id: transferId, status: 'failed', failureCode: 'CHECKSUM_MISMATCH' });
    }
    expect(await shown()).toMatchObject({ status: 'failed', failureCode: 'CHECKSUM_MISMATCH' });
  });
});

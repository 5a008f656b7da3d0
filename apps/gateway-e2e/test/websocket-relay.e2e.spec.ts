import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  acceptedTransfer as accepted,
  idBytes,
  KiB,
  latestProgress,
  MiB,
  receiveInto,
  sendPattern,
  streamPattern,
} from './support/relay.js';
import { api, request } from './support/e2e.js';
import type { TestSocket } from './support/sockets.js';

// Relayed bytes between two devices on one relay replica (api.md § WebSocket "Bytes (mode
// relay)", security-cases WS-02/WS-04), through the gateway's public port.

const open: TestSocket[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((socket) => socket.close()));
});

const acceptedTransfer = (sizes: number[]) => accepted(sizes, { open });

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

  it('tells the sender PEER_GONE within 5 s when the receiver drops, and fails once the resume window passes (WS-04)', async () => {
    const sizes = [8 * MiB];
    const { sender, receiver, transferId, shown } = await acceptedTransfer(sizes);
    // Half the bytes, then the receiver goes away.
    await sendPattern(sender, transferId, { until: 4 * MiB });
    await sender.next('transfer.progress');
    await receiver.close();
    const closedAt = Date.now();
    const gone = await sender.next('error', (event) => event.code === 'PEER_GONE');
    expect(gone.transferId).toBe(transferId);
    expect(Date.now() - closedAt).toBeLessThan(5_000);
    expect((await shown()).status).toBe('streaming');
    // Bytes the sender still sends while nobody receives are dropped, not an error.
    await sendPattern(sender, transferId, { from: 4 * MiB, until: 5 * MiB });
    // The platform under test gives a dropped device 4 s (RELAY_RESUME_SECONDS), swept every 2 s.
    const failed = await sender.next('transfer.failed', () => true, 15_000);
    expect(failed.transfer).toMatchObject({ id: transferId, status: 'failed', failureCode: 'PEER_GONE' });
    expect(await shown()).toMatchObject({ status: 'failed', failureCode: 'PEER_GONE' });
    expect(sender.ws.readyState).toBe(sender.ws.OPEN);
  });

  it('fails a stream whose receiver reads nothing for the stall time, telling both (WS-04)', async () => {
    const sizes = [64 * MiB];
    const { sender, receiver, transferId, shown } = await acceptedTransfer(sizes);
    const receiverSocket = (receiver.ws as unknown as { _socket: Socket })._socket;
    receiverSocket.pause();
    const stopped = { now: false };
    const sending = sendPattern(sender, transferId, { until: sizes[0]!, stop: () => stopped.now });
    // RELAY_STALL_SECONDS is 6 on the platform under test.
    const failed = await sender.next('transfer.failed', () => true, 20_000);
    stopped.now = true;
    await sending;
    expect(failed.transfer).toMatchObject({ id: transferId, status: 'failed', failureCode: 'PEER_GONE' });
    receiverSocket.resume();
    const told = await receiver.next('transfer.failed', () => true, 10_000);
    expect(told.transfer).toMatchObject({ id: transferId, status: 'failed' });
    expect((await shown()).status).toBe('failed');
    expect(sender.ws.readyState).toBe(sender.ws.OPEN);
  });

  it('stops the live stream when a device cancels over REST; bytes still under way are dropped', async () => {
    const sizes = [32 * MiB];
    const { sender, receiver, transferId, shown, auth } = await acceptedTransfer(sizes);
    const received = receiveInto(receiver, transferId, sizes);
    await sendPattern(sender, transferId, { until: 2 * MiB });
    await sender.next('transfer.progress');
    const cancelled = await request('POST', api(`/transfers/${transferId}/cancel`), { headers: auth });
    expect(cancelled.status).toBe(200);
    await Promise.all([sender.next('transfer.cancelled'), receiver.next('transfer.cancelled')]);
    const before = received.bytes;
    await sendPattern(sender, transferId, { from: 2 * MiB, until: 4 * MiB });
    await sleep(500);
    expect(received.bytes).toBe(before);
    expect(sender.ws.readyState).toBe(sender.ws.OPEN);
    expect((await shown()).status).toBe('cancelled');
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

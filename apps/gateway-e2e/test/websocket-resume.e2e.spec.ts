import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { acceptedTransfer, MiB, patternDigests, receiveInto, sendPattern, waitFor } from './support/relay.js';
import type { TestSocket } from './support/sockets.js';

// api.md § Resume: a device that reconnects while its transfer is `streaming` gets
// transfer.resume; the receiver says how many bytes it holds, the sender continues from there,
// and the receiver ends with every byte once (equal SHA-256).

const open: TestSocket[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((socket) => socket.close()));
});

const SIZES = [40 * MiB, 3 * MiB];
const TOTAL = SIZES.reduce((sum, size) => sum + size, 0);

describe('/ws resume after a dropped socket', () => {
  it('resumes from the receiver’s count when the receiver reconnects', async () => {
    const { sender, receiver, transferId, shown, connectReceiver } = await acceptedTransfer(SIZES, { open });
    const received = receiveInto(receiver, transferId, SIZES);
    const stop = { now: false };
    sender.ws.on('message', (data, isBinary) => {
      if (!isBinary && (JSON.parse(String(data)) as { code?: string }).code === 'PEER_GONE') stop.now = true;
    });
    const sending = sendPattern(sender, transferId, { until: TOTAL, stop: () => stop.now });
    await waitFor(() => received.bytes >= 5 * MiB);
    // The receiver falls behind (the relay holds the sender back), then is gone without a
    // close handshake, as a phone losing its network.
    (receiver.ws as unknown as { _socket: Socket })._socket.pause();
    await sleep(300);
    receiver.ws.terminate();
    // The sender hears of it at once (it may have handed every byte to socket buffers already).
    const gone = await sender.next('error', (event) => event.code === 'PEER_GONE');
    expect(gone.transferId).toBe(transferId);
    await sending;
    const holds = received.bytes;
    expect(holds).toBeLessThan(TOTAL);
    expect((await shown()).status).toBe('streaming');

    const back = connectReceiver();
    receiveInto(back, transferId, SIZES, received);
    const asked = await back.next('transfer.resume');
    expect(asked.transferId).toBe(transferId);
    expect(asked.offset).toBeGreaterThanOrEqual(0);
    back.send({ type: 'transfer.resume', transferId, offset: holds });
    const told = await sender.next('transfer.resume');
    expect(told).toEqual({ type: 'transfer.resume', transferId, offset: holds });
    sender.send({ type: 'transfer.resume', transferId, offset: holds });
    await sendPattern(sender, transferId, { from: holds, until: TOTAL });
    sender.send({ type: 'transfer.sent', transferId, sha256: patternDigests(SIZES) });
    await back.next('transfer.sent', () => true, 30_000);
    expect(received.bytes).toBe(TOTAL);
    expect(received.prefixesMatch).toBe(true);
    expect(received.hashes.digests()).toEqual(patternDigests(SIZES));
    back.send({ type: 'transfer.received', transferId, ok: true });
    await Promise.all([sender.next('transfer.completed'), back.next('transfer.completed')]);
    expect(await shown()).toMatchObject({ status: 'completed', deliveredBytes: TOTAL });
  });

  it('resumes when the sender reconnects, dropping nothing and repeating nothing', async () => {
    const { sender, receiver, transferId, shown, connectSender } = await acceptedTransfer(SIZES, { open });
    const received = receiveInto(receiver, transferId, SIZES);
    await sendPattern(sender, transferId, { until: 6 * MiB });
    await waitFor(() => received.bytes === 6 * MiB);
    sender.ws.terminate();
    const gone = await receiver.next('error', (event) => event.code === 'PEER_GONE');
    expect(gone.transferId).toBe(transferId);

    const back = connectSender();
    const asked = await receiver.next('transfer.resume');
    expect(asked.transferId).toBe(transferId);
    receiver.send({ type: 'transfer.resume', transferId, offset: received.bytes });
    const told = await back.next('transfer.resume');
    expect(told.offset).toBe(6 * MiB);
    // Bytes sent before the sender's own transfer.resume are not part of the resumed stream.
    await sendPattern(back, transferId, { from: 0, until: MiB });
    await sleep(200);
    expect(received.bytes).toBe(6 * MiB);
    back.send({ type: 'transfer.resume', transferId, offset: told.offset });
    await sendPattern(back, transferId, { from: told.offset, until: TOTAL });
    back.send({ type: 'transfer.sent', transferId, sha256: patternDigests(SIZES) });
    await receiver.next('transfer.sent', () => true, 30_000);
    expect(received.bytes).toBe(TOTAL);
    expect(received.hashes.digests()).toEqual(patternDigests(SIZES));
    receiver.send({ type: 'transfer.received', transferId, ok: true });
    await back.next('transfer.completed');
    expect(await shown()).toMatchObject({ status: 'completed', deliveredBytes: TOTAL });
  });

  it('refuses a resume offset past the declared size, and a sender that resumes elsewhere', async () => {
    const { sender, receiver, transferId, connectReceiver } = await acceptedTransfer([2 * MiB], { open });
    const received = receiveInto(receiver, transferId, [2 * MiB]);
    await sendPattern(sender, transferId, { until: MiB });
    await waitFor(() => received.bytes === MiB);
    receiver.ws.terminate();
    await sender.next('error', (event) => event.code === 'PEER_GONE');
    const back = connectReceiver();
    await back.next('transfer.resume');
    back.send({ type: 'transfer.resume', transferId, offset: 3 * MiB });
    expect((await back.next('error')).code).toBe('VALIDATION_FAILED');
    back.send({ type: 'transfer.resume', transferId, offset: MiB });
    const told = await sender.next('transfer.resume');
    sender.send({ type: 'transfer.resume', transferId, offset: told.offset - 1 });
    expect((await sender.next('error')).code).toBe('VALIDATION_FAILED');
    expect(back.ws.readyState).toBe(back.ws.OPEN);
  });
});

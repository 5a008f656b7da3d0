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
  waitFor,
} from './support/relay.js';
import fc from 'fast-check';
import { loginAdmin, postJson } from './support/accounts.js';
import { api, json, request } from './support/e2e.js';
import { socketWithToken, type TestSocket } from './support/sockets.js';

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
    const sizes = [192 * MiB];
    // An admin's group is unlimited: at full speed the kernel's socket buffers fill at once,
    // so what the sender still gets through after a second is the relay's own doing.
    const { sender, receiver, transferId, shown, total } = await accepted(sizes, { open, session: await loginAdmin() });
    const received = receiveInto(receiver, transferId, sizes);
    const progress = latestProgress(sender);
    const receiverSocket = (receiver.ws as unknown as { _socket: Socket })._socket;

    const streaming = streamPattern(sender, transferId, sizes);
    const deadline = Date.now() + 30_000;
    while (progress.bytes < 4 * MiB && Date.now() < deadline) await sleep(20);
    receiverSocket.pause();
    // Kernel socket buffers take what they can first (more slowly on a busy machine); then
    // the relay must hold the sender back: progress stops, far short of the total.
    let stalledAt = progress.bytes;
    for (let settled = 0; settled < 4 && Date.now() < deadline;) {
      await sleep(250);
      settled = progress.bytes - stalledAt < 64 * KiB ? settled + 1 : 0;
      stalledAt = progress.bytes;
    }
    await sleep(1_000);
    expect(progress.bytes - stalledAt).toBeLessThan(MiB);
    // Two loopback TCP hops (relay → gateway → client) buffer tens of MiB in the kernel here
    // (tcp_rmem allows 32 MiB per socket).
    expect(stalledAt).toBeLessThan(total - 64 * MiB);
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

describe('/ws relayed bytes at the group’s download speed', () => {
  it('holds a normal account’s relayed bytes to its 8 MB/s (the bucket its downloads share)', async () => {
    const sizes = [16_000_000];
    const { sender, receiver, transferId, total } = await acceptedTransfer(sizes);
    const received = receiveInto(receiver, transferId, sizes);
    const startedAt = Date.now();
    const sha256 = await streamPattern(sender, transferId, sizes);
    await waitFor(() => received.bytes === total);
    const seconds = (Date.now() - startedAt) / 1000;
    // A lower bound only (a busy machine is slower, never faster): 16 MB at 8 MB/s less the
    // 100 ms burst is 1.9 s; unthrottled this takes well under half a second.
    expect(seconds).toBeGreaterThan(1.6);
    sender.send({ type: 'transfer.sent', transferId, sha256 });
    await receiver.next('transfer.sent');
    receiver.send({ type: 'transfer.received', transferId, ok: true });
    await sender.next('transfer.completed');
  });
});

describe('/ws signal (WebRTC negotiation of p2p transfers)', () => {
  it('relays signals verbatim between the two devices, naming the sender from its socket (WS-02)', async () => {
    const { sender, receiver, transferId, deviceIds } = await accepted([10], { open, mode: 'p2p' });
    const offer = { sdp: 'v=0 offer', kind: 'offer', candidates: [{ candidate: 'a', sdpMid: '0' }] };
    sender.send({ type: 'signal', transferId, payload: offer, from: deviceIds.phone });
    expect(await receiver.next('signal')).toEqual({
      type: 'signal',
      transferId,
      from: deviceIds.laptop,
      payload: offer,
    });
    receiver.send({ type: 'signal', transferId, payload: { kind: 'answer' } });
    expect(await sender.next('signal')).toEqual({
      type: 'signal',
      transferId,
      from: deviceIds.phone,
      payload: { kind: 'answer' },
    });
  });

  it('refuses a signal for a relay-mode or unknown transfer with RELAY_FORBIDDEN; the socket stays open', async () => {
    const { sender, receiver, transferId } = await acceptedTransfer([10]);
    sender.send({ type: 'signal', transferId, payload: { kind: 'offer' } });
    expect(await sender.next('error')).toMatchObject({ code: 'RELAY_FORBIDDEN', transferId });
    sender.send({ type: 'signal', transferId: '01a23b79-0000-7000-8000-000000000000', payload: {} });
    expect((await sender.next('error')).code).toBe('RELAY_FORBIDDEN');
    expect(receiver.has('signal')).toBe(false);
    expect(sender.ws.readyState).toBe(sender.ws.OPEN);
  });

  it('delivers a signal if and only if its sender is a participant of the transfer and of its account (WS-02, property)', async () => {
    // Account A: a p2p transfer between laptop and phone, and a third device outside it; account B: its own transfer.
    const a = await accepted([10], { open, mode: 'p2p' });
    const b = await accepted([10], { open, mode: 'p2p' });
    const tablet = await postJson('/devices', { name: 'Tablet', platform: 'web' }, a.auth);
    const third = socketWithToken(a.session.accessToken, (json(tablet).device as { id: string }).id);
    open.push(third);
    await third.next('ready');
    const devices = {
      aSender: a.sender,
      aReceiver: a.receiver,
      aOutsider: third,
      bSender: b.sender,
      bReceiver: b.receiver,
    };
    const transfers = { a: a.transferId, b: b.transferId };
    const participants: Record<keyof typeof transfers, (keyof typeof devices)[]> = {
      a: ['aSender', 'aReceiver'],
      b: ['bSender', 'bReceiver'],
    };
    const names = Object.keys(devices) as (keyof typeof devices)[];
    const heard = new Map<string, string[]>(names.map((name) => [name, []]));
    for (const name of names) {
      devices[name].ws.on('message', (data, isBinary) => {
        const event = isBinary ? null : (JSON.parse(String(data)) as { type: string; payload?: { nonce?: string } });
        if (event?.type === 'signal' && event.payload?.nonce) heard.get(name)!.push(event.payload.nonce);
      });
    }
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ from: fc.constantFrom(...names), transfer: fc.constantFrom('a' as const, 'b' as const) }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        async (sends) => {
          run += 1;
          const expected = new Map<string, string[]>(names.map((name) => [name, []]));
          sends.forEach(({ from, transfer }, index) => {
            const nonce = `${run}-${index}`;
            devices[from].send({ type: 'signal', transferId: transfers[transfer], payload: { nonce } });
            const members = participants[transfer];
            if (members.includes(from)) expected.get(members.find((member) => member !== from)!)!.push(nonce);
          });
          const mine = (name: string) => heard.get(name)!.filter((nonce) => nonce.startsWith(`${run}-`));
          // Wait for what must arrive, then a moment more for anything that must not.
          await waitFor(() => names.every((name) => mine(name).length >= expected.get(name)!.length), 10_000);
          await sleep(300);
          for (const name of names) expect(mine(name).sort()).toEqual(expected.get(name)!.sort());
        },
      ),
      { numRuns: 8 },
    );
  });
});

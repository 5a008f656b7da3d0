import { concat, randomBytes, sameBytes, settle, sha256Hex } from '../../test/bytes.js';
import type { ClientEvent, ServerEvent, TransferView } from './events.js';
import { transferIdBytes } from './frames.js';
import { TransferStreams, type ReceivedFile, type RelayChannel } from './transfer-streams.js';

const transferId = '0190f3a2-7b1c-7def-8a12-3456789abcde';

function transferOf(sizes: number[], status: TransferView['status']): TransferView {
  return {
    id: transferId,
    fromDeviceId: 'laptop',
    toDeviceId: 'phone',
    files: sizes.map((size, index) => ({
      name: `f${index}.bin`,
      size,
      mimeType: 'application/octet-stream',
      fileId: null,
    })),
    mode: 'relay',
    status,
    totalBytes: sizes.reduce((sum, size) => sum + size, 0),
    deliveredBytes: 0,
    failureCode: null,
    createdAt: '',
    updatedAt: '',
    expiresAt: '',
  };
}

/** Two devices joined by a relay that passes frames and `transfer.sent` straight through. */
function twoDevices(corrupt = false) {
  const toSender: ClientEvent[] = [];
  const toRelay: ClientEvent[] = [];
  const received: ReceivedFile[][] = [];
  const mismatches: string[] = [];
  const progress: number[] = [];
  const relay: { receiver?: TransferStreams } = {};
  let delivered = 0;
  const senderChannel: RelayChannel = {
    bufferedAmount: 0,
    send: (event) => {
      toRelay.push(event);
      if (event.type === 'transfer.sent') relay.receiver!.handle(event as ServerEvent);
      return true;
    },
    sendFrame: (frame) => {
      const copy = frame.slice();
      if (corrupt && delivered === 0) copy[20] = copy[20]! ^ 0xff;
      delivered += 1;
      relay.receiver!.receiveFrame(copy);
      return true;
    },
  };
  const receiverChannel: RelayChannel = {
    bufferedAmount: 0,
    send: (event) => {
      toRelay.push(event);
      return true;
    },
    sendFrame: () => true,
  };
  const sender = new TransferStreams({
    deviceId: 'laptop',
    channel: senderChannel,
    sendOptions: { frameBytes: 8192, highWaterBytes: Infinity },
  });
  const receiver = (relay.receiver = new TransferStreams({
    deviceId: 'phone',
    channel: receiverChannel,
    onReceived: (_transfer, files) => received.push(files),
    onMismatch: (id) => mismatches.push(id),
    onProgress: (_id, bytes) => progress.push(bytes),
  }));
  return { sender, receiver, toRelay, toSender, received, mismatches, progress };
}

const until = async (condition: () => boolean) => {
  while (!condition()) await settle();
};

describe('TransferStreams', () => {
  const contents = [randomBytes(300_000), randomBytes(5)];
  const sizes = contents.map((bytes) => bytes.length);

  it('sends the offered files once accepted; the receiver checks them, answers ok and hands them over whole', async () => {
    const { sender, receiver, toRelay, received, progress } = twoDevices();
    sender.offer(
      transferId,
      contents.map((bytes) => new Blob([bytes])),
    );
    const accepted = { type: 'transfer.accepted', transfer: transferOf(sizes, 'accepted') } as const;
    receiver.handle(accepted);
    sender.handle(accepted);
    await until(() => received.length === 1);
    const sent = toRelay.find((event) => event.type === 'transfer.sent');
    expect(sent).toEqual({
      type: 'transfer.sent',
      transferId,
      sha256: await Promise.all(contents.map(sha256Hex)),
    });
    expect(toRelay.at(-1)).toEqual({ type: 'transfer.received', transferId, ok: true });
    expect(received[0]!.map((file) => file.name)).toEqual(['f0.bin', 'f1.bin']);
    received[0]!.forEach((file, index) => expect(sameBytes(concat(file.chunks), contents[index]!)).toBe(true));
    expect(progress.at(-1)).toBe(300_005);
  });

  it('answers ok false when the bytes do not match their SHA-256, and saves nothing', async () => {
    const { sender, receiver, toRelay, received, mismatches } = twoDevices(true);
    sender.offer(
      transferId,
      contents.map((bytes) => new Blob([bytes])),
    );
    const accepted = { type: 'transfer.accepted', transfer: transferOf(sizes, 'accepted') } as const;
    receiver.handle(accepted);
    sender.handle(accepted);
    await until(() => mismatches.length === 1);
    expect(toRelay.at(-1)).toEqual({ type: 'transfer.received', transferId, ok: false });
    expect(received).toHaveLength(0);
  });

  it('answers a resume with the bytes it holds (receiver) or the offset it was given (sender)', () => {
    const { receiver } = twoDevices();
    const frames: ClientEvent[] = [];
    const sender = new TransferStreams({
      deviceId: 'laptop',
      channel: { bufferedAmount: Infinity, send: (event) => frames.push(event) > 0, sendFrame: () => true },
    });
    sender.offer(transferId, [new Blob([contents[0]!])]);
    sender.handle({ type: 'transfer.resume', transferId, offset: 1234 });
    expect(frames).toEqual([{ type: 'transfer.resume', transferId, offset: 1234 }]);
    // Its socket never drains here: ending the transfer stops the sender waiting for it.
    sender.handle({ type: 'transfer.cancelled', transfer: transferOf(sizes, 'cancelled') });
    expect(sender.hasFiles(transferId)).toBe(false);

    receiver.handle({ type: 'transfer.accepted', transfer: transferOf([10], 'accepted') });
    const frame = new Uint8Array(16 + 4);
    frame.set(transferIdBytes(transferId));
    receiver.receiveFrame(frame);
    expect(receiver.receivedBytes(transferId)).toBe(4);
  });

  it('forgets a transfer that ended', () => {
    const { sender } = twoDevices();
    sender.offer(transferId, [new Blob([contents[0]!])]);
    sender.handle({ type: 'transfer.rejected', transfer: transferOf(sizes, 'rejected') });
    expect(sender.hasFiles(transferId)).toBe(false);
  });
});

import { jest } from '@jest/globals';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import type { DeviceSocketSession } from '../socket/device-socket-session.js';
import type { ServerEvent } from '../socket/socket-frames.js';
import { InboundLink, type InboundEnd } from './inbound-link.js';
import { PEER_CLOSE_CODES, type PeerTarget } from './peer-protocol.js';

const TARGET: PeerTarget = { transferId: '0190a000-0000-7000-8000-000000000001', ownerId: 'user-1', deviceId: 'dev-2' };
const HIGH_WATER = 100;

/** The link's WebSocket: records what the link does to it; `deliver`/`bytes` play frames from the stream's replica. */
class FakeLinkSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  sent: unknown[] = [];
  closedWith: number[] = [];
  paused = false;
  resumes = 0;

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(code?: number): void {
    this.closedWith.push(code ?? 1005);
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    this.resumes += 1;
  }
  bytes(data: Buffer): void {
    this.emit('message', data, true);
  }
  text(frame: unknown): void {
    this.emit('message', Buffer.from(typeof frame === 'string' ? frame : JSON.stringify(frame)), false);
  }
  /** The link closed, with the code the other end (or ws) reports. */
  closed(code: number): void {
    this.readyState = 3;
    this.emit('close', code, Buffer.alloc(0));
  }
}

/** The receiving device's socket session: what it was sent, and how much its socket still buffers. */
class FakeReceiver {
  bufferedAmount = 0;
  events: ServerEvent[] = [];
  frames: Buffer[] = [];

  send(event: ServerEvent): void {
    this.events.push(event);
  }
  sendBytes(frame: Buffer): void {
    this.frames.push(frame);
  }
}

function setUp() {
  const socket = new FakeLinkSocket();
  const receiver = new FakeReceiver();
  const onEnd = jest.fn<(link: InboundLink, how: InboundEnd) => void>();
  const link = new InboundLink(
    socket as unknown as WebSocket,
    receiver as unknown as DeviceSocketSession,
    TARGET,
    HIGH_WATER,
    onEnd,
  );
  link.start();
  return { socket, receiver, onEnd, link };
}

describe('InboundLink', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('forwards binary frames to the receiver unchanged', () => {
    const { socket, receiver } = setUp();
    const frame = Buffer.concat([Buffer.alloc(16, 0xab), Buffer.from('payload')]);
    socket.bytes(frame);
    socket.bytes(Buffer.alloc(0));
    expect(receiver.frames).toHaveLength(2);
    expect(receiver.frames[0]!.equals(frame)).toBe(true);
    expect(receiver.frames[1]!.length).toBe(0);
    expect(receiver.events).toEqual([]);
  });

  it('sends the events of deliver frames to the receiver, and ignores answers and junk coming down', () => {
    const { socket, receiver } = setUp();
    const event: ServerEvent = { type: 'transfer.sent', transferId: TARGET.transferId, sha256: ['ab'.repeat(32)] };
    socket.text({ type: 'deliver', event });
    socket.text({ type: 'answer', answer: { type: 'transfer.received', transferId: TARGET.transferId, ok: true } });
    socket.text('{not json');
    socket.text({ type: 'deliver' });
    expect(receiver.events).toEqual([event]);
    expect(receiver.frames).toEqual([]);
  });

  it('stops reading the link above the high-water mark and reads again once the receiver is below half', () => {
    const { socket, receiver } = setUp();
    receiver.bufferedAmount = HIGH_WATER;
    socket.bytes(Buffer.alloc(8));
    expect(socket.paused).toBe(false);

    receiver.bufferedAmount = HIGH_WATER + 1;
    socket.bytes(Buffer.alloc(8));
    expect(socket.paused).toBe(true);

    // Still behind: at half of the mark it stays paused, however often it is looked at.
    receiver.bufferedAmount = HIGH_WATER / 2;
    jest.advanceTimersByTime(50);
    expect(socket.paused).toBe(true);
    expect(socket.resumes).toBe(0);

    receiver.bufferedAmount = HIGH_WATER / 2 - 1;
    jest.advanceTimersByTime(9);
    expect(socket.paused).toBe(true);
    jest.advanceTimersByTime(1);
    expect(socket.paused).toBe(false);
    expect(socket.resumes).toBe(1);

    // Drained: no more polling, and nothing resumes twice.
    jest.advanceTimersByTime(100);
    expect(socket.resumes).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('pauses once however many frames arrive while behind, and can pause again after resuming', () => {
    const { socket, receiver } = setUp();
    const pause = jest.spyOn(socket, 'pause');
    receiver.bufferedAmount = 500;
    socket.bytes(Buffer.alloc(8));
    socket.bytes(Buffer.alloc(8));
    expect(pause).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(1);

    receiver.bufferedAmount = 0;
    jest.advanceTimersByTime(10);
    expect(socket.paused).toBe(false);

    receiver.bufferedAmount = 500;
    socket.bytes(Buffer.alloc(8));
    expect(pause).toHaveBeenCalledTimes(2);
    expect(socket.paused).toBe(true);
  });

  it('stops polling a paused link once it closed', () => {
    const { socket, receiver } = setUp();
    receiver.bufferedAmount = 500;
    socket.bytes(Buffer.alloc(8));
    socket.closed(1006);
    receiver.bufferedAmount = 0;
    jest.advanceTimersByTime(100);
    expect(socket.resumes).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('sends the receiver’s answers up the link while it is open', () => {
    const { socket, link } = setUp();
    const answer = { type: 'transfer.resume', transferId: TARGET.transferId, offset: 42 } as const;
    link.answer(answer);
    expect(socket.sent).toEqual([{ type: 'answer', answer }]);

    socket.readyState = 2;
    link.answer({ type: 'transfer.received', transferId: TARGET.transferId, ok: true });
    expect(socket.sent).toHaveLength(1);
  });

  it('ends released when the stream’s replica closes the link normally', () => {
    const { socket, onEnd, link } = setUp();
    socket.closed(PEER_CLOSE_CODES.released);
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(onEnd).toHaveBeenCalledWith(link, 'released');
  });

  it.each([1001, 1006, 1011])('ends owner-gone when the link closes with %i without this side closing it', (code) => {
    const { socket, onEnd, link } = setUp();
    socket.closed(code);
    expect(onEnd).toHaveBeenCalledWith(link, 'owner-gone');
  });

  it('closes with 4410 and ends receiver-gone when the receiver’s socket closed', () => {
    const { socket, onEnd, link, receiver } = setUp();
    receiver.bufferedAmount = 500;
    socket.bytes(Buffer.alloc(8));
    link.receiverGone();
    // A paused link is read again, so that the close handshake can go through.
    expect(socket.paused).toBe(false);
    expect(socket.closedWith).toEqual([PEER_CLOSE_CODES.receiverGone]);
    expect(onEnd).not.toHaveBeenCalled();

    socket.closed(1006);
    expect(onEnd).toHaveBeenCalledWith(link, 'receiver-gone');
  });

  it('closes with 4409 and ends released when a newer link supersedes it, closing only once', () => {
    const { socket, onEnd, link } = setUp();
    link.supersede();
    link.receiverGone();
    expect(socket.closedWith).toEqual([PEER_CLOSE_CODES.superseded]);

    socket.closed(PEER_CLOSE_CODES.superseded);
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(onEnd).toHaveBeenCalledWith(link, 'released');
  });
});

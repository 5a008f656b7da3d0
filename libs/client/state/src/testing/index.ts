import type { DeviceView } from '@lexy/client-api';

// Fakes for the unit tests of both apps' devices screens (never imported by app code).

/** A WebSocket faked at the boundary: the test plays the relay. */
export class FakeWebSocket {
  static last: FakeWebSocket | null = null;
  readyState = 0;
  bufferedAmount = 0;
  binaryType = 'blob';
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly sent: unknown[] = [];
  constructor(readonly url: string) {
    FakeWebSocket.last = this;
  }
  send(data: unknown) {
    this.sent.push(typeof data === 'string' ? JSON.parse(data) : data);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  event(event: object) {
    this.onmessage?.({ data: JSON.stringify(event) });
  }
  frame(bytes: Uint8Array) {
    this.onmessage?.({ data: bytes.buffer });
  }
}

/** One of the account's devices as the API lists it. */
export const aDevice = (id: string, name: string, online: boolean): DeviceView => ({
  id,
  name,
  platform: 'web',
  online,
  lastSeenAt: null,
  createdAt: '',
});

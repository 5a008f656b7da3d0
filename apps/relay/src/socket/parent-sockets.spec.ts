import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import type { HandedUpgrade, HandOverNotice } from '@lexy/server-websocket';
import { ParentSockets, requestOf } from './parent-sockets.js';

/**
 * The gateway's side, in this process: an HTTP server whose upgrades are "handed over" by
 * emitting them on a fake IPC channel, as `child.send(message, socket)` would deliver them in
 * the relay. The sockets and the WebSocket handshake are real.
 */
class FakeParent extends EventEmitter {
  readonly notices: HandOverNotice[] = [];
  connected = true;
  send(notice: HandOverNotice): boolean {
    if (!this.connected) throw new Error('channel closed');
    this.notices.push(notice);
    this.emit('notice', notice);
    return true;
  }
}

describe('requestOf', () => {
  it('rebuilds the request ws reads, joining repeated headers as node:http does', () => {
    const request = requestOf(
      {
        type: 'lexy.ws.upgrade',
        id: 1,
        method: 'GET',
        url: '/ws?deviceId=d1',
        rawHeaders: ['Host', 'gw', 'Sec-WebSocket-Protocol', 'lexy.v1', 'sec-websocket-protocol', 'token'],
        head: '',
      },
      new (EventEmitter as unknown as new () => Socket)(),
    );
    expect(request.method).toBe('GET');
    expect(request.url).toBe('/ws?deviceId=d1');
    expect(request.headers).toEqual({ host: 'gw', 'sec-websocket-protocol': 'lexy.v1, token' });
    expect(request.rawHeaders[0]).toBe('Host');
  });
});

describe('ParentSockets', () => {
  let gateway: http.Server;
  let server: WebSocketServer;
  let parent: FakeParent;
  let handed: ParentSockets;
  let nextId = 1;

  beforeEach(async () => {
    parent = new FakeParent();
    server = new WebSocketServer({
      noServer: true,
      path: '/ws',
      verifyClient: ({ req }: { req: http.IncomingMessage }) => req.headers['x-test-refuse'] === undefined,
    });
    server.on('connection', (socket) => socket.send('hello from the relay'));
    handed = new ParentSockets(server, parent);
    handed.start();
    gateway = http.createServer();
    gateway.on('upgrade', (request: http.IncomingMessage, socket: Socket, head: Buffer) => {
      const message: HandedUpgrade = {
        type: 'lexy.ws.upgrade',
        id: nextId++,
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        rawHeaders: request.rawHeaders,
        head: head.toString('base64'),
      };
      parent.emit('message', message, socket);
    });
    gateway.listen(0, '127.0.0.1');
    await once(gateway, 'listening');
  });

  afterEach(async () => {
    server.close();
    gateway.closeAllConnections();
    await new Promise((resolve) => gateway.close(resolve));
  });

  const url = () => `ws://127.0.0.1:${(gateway.address() as AddressInfo).port}/ws`;

  it('tells the gateway it is ready, once it listens for sockets', () => {
    expect(parent.notices).toEqual([{ type: 'lexy.ws.ready' }]);
  });

  it('answers a handed socket’s upgrade and serves it; its close is reported with its id', async () => {
    const client = new WebSocket(url());
    const [greeting] = (await once(client, 'message')) as [Buffer];
    expect(greeting.toString()).toBe('hello from the relay');
    const closed = new Promise((resolve) =>
      parent.on('notice', (notice: HandOverNotice) => notice.type === 'lexy.ws.closed' && resolve(notice)),
    );
    client.close();
    expect(await closed).toEqual({ type: 'lexy.ws.closed', id: nextId - 1 });
  });

  it('tells a gateway that has gone nothing: its sockets close here without a word', async () => {
    const client = new WebSocket(url());
    await once(client, 'message');
    parent.connected = false;
    const closedHere = new Promise((resolve) => server.clients.forEach((socket) => socket.once('close', resolve)));
    client.close();
    await closedHere;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(parent.notices.filter((notice) => notice.type === 'lexy.ws.closed')).toEqual([]);
  });

  it('runs ws’s checks on a handed socket: a refused upgrade gets ws’s answer, not a socket', async () => {
    const client = new WebSocket(url(), { headers: { 'x-test-refuse': '1' } });
    const [, response] = (await once(client, 'unexpected-response')) as [unknown, http.IncomingMessage];
    expect(response.statusCode).toBe(401);
    response.destroy();
  });

  it('answers 503 in the envelope to a socket handed over once the drain began', async () => {
    handed.stopAccepting();
    const client = new WebSocket(url());
    const [, response] = (await once(client, 'unexpected-response')) as [unknown, http.IncomingMessage];
    expect(response.statusCode).toBe(503);
    let body = '';
    for await (const part of response) body += String(part);
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE' } });
  });
});

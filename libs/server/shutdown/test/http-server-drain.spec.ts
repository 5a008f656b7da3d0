import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { HttpServerDrain, ShutdownState, type Schedule } from '../src/index.js';
import { manualSchedule } from './manual-schedule.js';

/** A server whose GET /slow sends its first half at once and the rest when the test releases it. */
async function startServer() {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const upgraded: Duplex[] = [];
  const server: Server = createServer((request, response) => {
    if (request.url === '/slow') {
      response.writeHead(200, { 'Content-Length': '10' });
      response.write('01234');
      void released.then(() => response.end('56789'));
      return;
    }
    response.end('fast');
  });
  server.on('upgrade', (_request, socket: Duplex) => {
    upgraded.push(socket);
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n');
  });
  const drain = new HttpServerDrain(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { server, drain, port, release, upgraded };
}

/** GET `path`: resolves with the response as soon as its head is in. */
function get(port: number, path: string, agent?: Agent): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path, agent }, resolve).on('error', reject).end();
  });
}

function bodyOf(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    response.on('end', () => resolve(text));
    response.on('error', reject);
    response.on('aborted', () => reject(new Error('aborted')));
  });
}

/** A shutdown that has begun, whose deadline comes when `schedule` fires. */
function begun(schedule: Schedule = manualSchedule().schedule): ShutdownState {
  const state = new ShutdownState(25_000, schedule);
  state.begin();
  return state;
}

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('HttpServerDrain', () => {
  it('refuses new connections and lets the request in flight finish whole', async () => {
    const { drain, port, release } = await startServer();
    const slow = await get(port, '/slow');
    const body = bodyOf(slow);
    expect(drain.activeRequests).toBe(1);

    const draining = drain.drain(begun());
    expect(await connectionRefused(port)).toBe(true);
    release();
    await expect(body).resolves.toBe('0123456789');
    await expect(draining).resolves.toBe('drained');
  });

  it('closes kept-alive connections that carry no request', async () => {
    const { drain, port } = await startServer();
    const agent = new Agent({ keepAlive: true });
    const first = await get(port, '/fast', agent);
    const socket = first.socket;
    await bodyOf(first);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await expect(drain.drain(begun())).resolves.toBe('drained');
    await closed;
    agent.destroy();
  });

  it('cuts what is still in flight at the deadline', async () => {
    const { drain, port } = await startServer();
    const slow = await get(port, '/slow');
    const body = bodyOf(slow);
    const time = manualSchedule();
    const draining = drain.drain(begun(time.schedule));
    time.fire();
    await expect(draining).resolves.toBe('deadline');
    await expect(body).rejects.toThrow();
  });

  it('leaves upgraded sockets to whoever took them', async () => {
    const { drain, port, upgraded } = await startServer();
    const client = net.connect({ host: '127.0.0.1', port });
    const switched = new Promise((resolve) => client.once('data', resolve));
    client.write('GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n');
    await switched;
    await expect(drain.drain(begun())).resolves.toBe('drained');
    // Still open both ways: the server side echoes what the client sends.
    upgraded[0]!.on('data', (data: Buffer) => upgraded[0]!.write(data));
    const echoed = new Promise<string>((resolve) => client.once('data', (data) => resolve(data.toString())));
    client.write('still here');
    await expect(echoed).resolves.toBe('still here');
    client.destroy();
    upgraded[0]!.destroy();
  });
});

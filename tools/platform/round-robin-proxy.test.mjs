// Tests of the cluster's round-robin proxy against real little node:http backends
// (`node --test tools/platform/*.test.mjs`; `npm test` runs them).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket, { WebSocketServer } from 'ws';
import { startRoundRobinProxy } from './round-robin-proxy.mjs';

const MiB = 1024 * 1024;
const closers = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

/** A backend on a free port: `handler` answers its requests; it can be stopped and started again on that port. */
async function backend(name, handler = (request, response) => response.end(name)) {
  const sockets = new Set();
  let server;
  const start = async (port = 0) => {
    server = http.createServer(handler);
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    return server.address().port;
  };
  const port = await start();
  const stop = () =>
    new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  closers.push(stop);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get server() {
      return server;
    },
    stop,
    restart: () => start(port),
  };
}

/** A port nothing listens on. */
async function closedPort() {
  const server = http.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function proxyTo(backends) {
  const lines = [];
  const proxy = await startRoundRobinProxy({ port: 0, backends, log: (_name, line) => lines.push(line) });
  closers.push(() => proxy.close());
  return Object.assign(proxy, { lines });
}

/** One request; resolves with the status, headers and whole (small) body. */
function send(url, { method = 'GET', headers = {}, body, agent } = {}) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString() }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** `size` bytes of a pattern, as a stream that never holds more than a MiB. */
function patternStream(size) {
  const block = Buffer.alloc(MiB);
  for (let index = 0; index < block.length; index += 1) block[index] = index % 251;
  let left = size;
  return new Readable({
    read() {
      if (left === 0) return this.push(null);
      const length = Math.min(left, block.length);
      left -= length;
      this.push(block.subarray(0, length));
    },
  });
}

async function sha256(stream) {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk);
  return hash.digest('hex');
}

describe('round robin', () => {
  it('sends each request to the next backend in turn, also over one kept-alive connection', async () => {
    const backends = await Promise.all(['a', 'b', 'c'].map((name) => backend(name)));
    const proxy = await proxyTo(backends.map((b) => b.url));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const answers = [];
    for (let index = 0; index < 7; index += 1) answers.push((await send(proxy.url, { agent })).body);
    agent.destroy();
    assert.deepEqual(answers, ['a', 'b', 'c', 'a', 'b', 'c', 'a']);
  });

  it('forwards method, path, headers and body; sets X-Forwarded-For (appended), -Proto and -Host; drops hop-by-hop headers', async () => {
    let seen;
    const echo = await backend('echo', async (request, response) => {
      seen = { method: request.method, url: request.url, headers: request.headers, body: await sha256(request) };
      response.writeHead(201, { 'x-answer': 'yes', connection: 'close', 'set-cookie': ['a=1', 'b=2'] });
      response.end('made');
    });
    const proxy = await proxyTo([echo.url]);
    const answer = await send(`${proxy.url}/api/v1/files?x=1`, {
      method: 'POST',
      headers: {
        'x-forwarded-for': '203.0.113.7',
        'x-forwarded-proto': 'https',
        'x-hop': 'secret',
        connection: 'keep-alive, x-hop',
        'content-type': 'text/plain',
      },
      body: 'hello',
    });
    assert.equal(answer.status, 201);
    assert.equal(answer.body, 'made');
    assert.equal(answer.headers['x-answer'], 'yes');
    assert.deepEqual(answer.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/api/v1/files?x=1');
    assert.equal(seen.body, createHash('sha256').update('hello').digest('hex'));
    assert.equal(seen.headers['content-type'], 'text/plain');
    assert.equal(seen.headers.host, `127.0.0.1:${proxy.port}`);
    assert.equal(seen.headers['x-forwarded-for'], '203.0.113.7, 127.0.0.1');
    assert.equal(seen.headers['x-forwarded-proto'], 'http');
    assert.equal(seen.headers['x-forwarded-host'], `127.0.0.1:${proxy.port}`);
    assert.equal(seen.headers['x-hop'], undefined);
  });
});

describe('failover', () => {
  it('skips a backend that refuses connections, and sends it requests again once it is back', async () => {
    const a = await backend('a');
    const b = await backend('b');
    const proxy = await proxyTo([a.url, b.url]);
    await a.stop();
    const whileDown = [];
    for (let index = 0; index < 4; index += 1) whileDown.push(await send(proxy.url));
    assert.deepEqual(
      whileDown.map((answer) => [answer.status, answer.body]),
      Array(4).fill([200, 'b']),
    );
    assert.match(proxy.lines.join('\n'), new RegExp(`${a.url} refuses connections`));

    await a.restart();
    const back = [];
    for (let index = 0; index < 4; index += 1) back.push((await send(proxy.url)).body);
    assert.deepEqual(back.sort(), ['a', 'a', 'b', 'b']);
    assert.match(proxy.lines.join('\n'), new RegExp(`${a.url} answers again`));
  });

  it('answers 502 in the error envelope when no backend is up, also to a request with a body', async () => {
    const proxy = await proxyTo([`http://127.0.0.1:${await closedPort()}`, `http://127.0.0.1:${await closedPort()}`]);
    for (const options of [{}, { method: 'PUT', body: Buffer.alloc(MiB) }]) {
      const answer = await send(`${proxy.url}/api/v1/health`, options);
      assert.equal(answer.status, 502);
      assert.match(answer.headers['content-type'], /^application\/json/);
      assert.deepEqual(JSON.parse(answer.body), {
        error: {
          code: 'SERVICE_UNAVAILABLE',
          message: 'No gateway is reachable behind this proxy; try again shortly',
          details: { retryAfterSeconds: 1 },
        },
      });
    }
  });

  it('cuts the client’s response short when its backend dies mid-answer, so the client sees an incomplete body', async () => {
    const dying = await backend('dying', (request, response) => {
      response.writeHead(200, { 'content-length': String(4 * MiB) });
      response.write(Buffer.alloc(MiB));
      setTimeout(() => response.socket.destroy(), 50);
    });
    const proxy = await proxyTo([dying.url]);
    const outcome = await new Promise((resolve) => {
      http.get(proxy.url, (response) => {
        let bytes = 0;
        response.on('data', (chunk) => (bytes += chunk.length));
        response.on('end', () => resolve({ bytes, complete: response.complete }));
        response.on('close', () => resolve({ bytes, complete: response.complete }));
      });
    });
    assert.equal(outcome.complete, false);
    assert.ok(outcome.bytes <= MiB, `${outcome.bytes} bytes of a body that was cut after one MiB`);
  });
});

describe('streaming', () => {
  const SIZE = 128 * MiB;
  /** What loopback sockets and stream buffers on the way may hold; far below SIZE. */
  const IN_FLIGHT_BOUND = 48 * MiB;

  it('streams a large download with backpressure: a client that stops reading stops the backend', async () => {
    let written = 0;
    const source = await backend('source', async (request, response) => {
      response.writeHead(200, { 'content-length': String(SIZE) });
      for await (const chunk of patternStream(SIZE)) {
        written += chunk.length;
        if (!response.write(chunk)) await once(response, 'drain');
      }
      response.end();
    });
    const proxy = await proxyTo([source.url]);
    const response = await new Promise((resolve) => http.get(proxy.url, resolve));
    response.pause();
    await sleep(500);
    assert.ok(written < IN_FLIGHT_BOUND, `the backend wrote ${written} bytes to a client that read none`);
    assert.equal(await sha256(response), await sha256(patternStream(SIZE)));
    assert.equal(written, SIZE);
  });

  it('streams a large upload with backpressure: a backend that stops reading stops the client', async () => {
    let reading;
    const sink = await backend('sink', async (request, response) => {
      request.pause();
      await new Promise((resolve) => (reading = resolve));
      response.end(await sha256(request));
    });
    const proxy = await proxyTo([sink.url]);
    let sent = 0;
    const body = patternStream(SIZE);
    body.on('data', (chunk) => (sent += chunk.length));
    const request = http.request(proxy.url, { method: 'PUT', headers: { 'content-length': String(SIZE) } });
    const answered = new Promise((resolve) => request.on('response', resolve));
    const uploaded = pipeline(body, request);
    await sleep(500);
    assert.ok(sent < IN_FLIGHT_BOUND, `the client sent ${sent} bytes to a backend that read none`);
    reading();
    await uploaded;
    const response = await answered;
    const chunks = [];
    for await (const chunk of response) chunks.push(chunk);
    assert.equal(Buffer.concat(chunks).toString(), await sha256(patternStream(SIZE)));
  });
});

describe('WebSocket upgrades', () => {
  /** A backend whose WebSocket server greets with its name and echoes messages; `refuse` answers upgrades 403. */
  async function wsBackend(name, { refuse = false } = {}) {
    const upgrades = [];
    const server = await backend(name);
    const wss = new WebSocketServer({ noServer: true });
    server.server.on('upgrade', (request, socket, head) => {
      upgrades.push(request.headers);
      if (refuse) {
        const body = JSON.stringify({ error: { code: 'FORBIDDEN', message: 'no', details: {} } });
        socket.end(
          `HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        );
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => {
        ws.send(`hello from ${name}`);
        ws.on('message', (data) => ws.send(`${name}: ${data}`));
      });
    });
    closers.push(() => new Promise((resolve) => wss.close(resolve)));
    return { ...server, upgrades };
  }

  /** Opens a socket through the proxy; resolves with it and its greeting. */
  async function connect(url, headers = {}) {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, ['lexy.v1'], { headers });
    const greeting = await new Promise((resolve, reject) => {
      ws.once('message', (data) => resolve(String(data)));
      ws.once('unexpected-response', (_request, response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => reject(Object.assign(new Error('refused'), { status: response.statusCode, text })));
      });
      ws.once('error', reject);
    });
    closers.push(async () => ws.close());
    return { ws, greeting };
  }

  it('forwards upgrades in turn (one rotation with plain requests), then pipes frames both ways', async () => {
    const a = await wsBackend('a');
    const b = await wsBackend('b');
    const proxy = await proxyTo([a.url, b.url]);
    const first = await connect(proxy.url, { 'x-forwarded-for': '198.51.100.9' });
    assert.equal((await send(proxy.url)).body, 'b');
    const second = await connect(proxy.url);
    assert.deepEqual([first.greeting, second.greeting], ['hello from a', 'hello from a']);
    const third = await connect(proxy.url);
    assert.equal(third.greeting, 'hello from b');

    const big = 'x'.repeat(3 * MiB);
    const echoed = once(first.ws, 'message');
    first.ws.send(big);
    assert.equal(String((await echoed)[0]), `a: ${big}`);
    assert.equal(first.ws.protocol, 'lexy.v1');
    assert.equal(a.upgrades[0]['x-forwarded-for'], '198.51.100.9, 127.0.0.1');
    assert.equal(a.upgrades[0]['sec-websocket-protocol'], 'lexy.v1');
  });

  it('passes a backend’s refusal of an upgrade on, skips a backend that is down, and answers 502 when none is up', async () => {
    const refusing = await wsBackend('refusing', { refuse: true });
    const down = await wsBackend('down');
    await down.stop();
    const proxy = await proxyTo([down.url, refusing.url]);
    await assert.rejects(connect(proxy.url), (error) => {
      assert.equal(error.status, 403);
      assert.equal(JSON.parse(error.text).error.code, 'FORBIDDEN');
      return true;
    });
    await refusing.stop();
    await assert.rejects(connect(proxy.url), (error) => {
      assert.equal(error.status, 502);
      assert.equal(JSON.parse(error.text).error.code, 'SERVICE_UNAVAILABLE');
      return true;
    });
  });

  it('closes the client’s socket when the backend’s socket goes away', async () => {
    const a = await wsBackend('a');
    const proxy = await proxyTo([a.url]);
    const { ws } = await connect(proxy.url);
    const closed = once(ws, 'close');
    await a.stop();
    const [code] = await closed;
    assert.equal(code, 1006);
  });
});

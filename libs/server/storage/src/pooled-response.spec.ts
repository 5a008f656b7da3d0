import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { PooledResponse } from './pooled-response.js';

/** A real TCP server on a free port that answers every connection with `respond`. */
async function serve(
  respond: (socket: net.Socket, request: string) => void,
): Promise<{ url: URL; closed: Promise<void>; close(): void }> {
  let socketClosed!: () => void;
  const closed = new Promise<void>((resolve) => (socketClosed = resolve));
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.on('close', socketClosed);
    socket.once('data', (request) => respond(socket, request.toString('latin1')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}/bucket/key?X-Amz-Signature=abc`),
    closed,
    close: () => server.close(),
  };
}

const head = (length: number, status = '200 OK') =>
  `HTTP/1.1 ${status}\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;

/** A destination that hashes what it gets only after `delayMs`, as a slow client would. */
class SlowSink extends Writable {
  readonly hash = createHash('sha256');
  readonly buffersSeen = new Set<ArrayBufferLike>();
  bytes = 0;

  constructor(private readonly delayMs: number) {
    super({ highWaterMark: 1 });
  }

  override _write(chunk: Buffer, _encoding: string, done: (error?: Error) => void): void {
    this.buffersSeen.add(chunk.buffer);
    // Hashing later proves the bytes were not overwritten while the write was pending.
    setTimeout(() => {
      this.hash.update(chunk);
      this.bytes += chunk.length;
      done();
    }, this.delayMs);
  }
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const servers: { close(): void }[] = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

async function server(respond: (socket: net.Socket, request: string) => void) {
  const started = await serve(respond);
  servers.push(started);
  return started;
}

describe('PooledResponse', () => {
  it('passes a body on intact through a few reused buffers, never reusing one before its write is done', async () => {
    const body = randomBytes(3 * 1024 * 1024 + 17);
    const { url } = await server((socket) => {
      socket.write(head(body.length));
      for (let at = 0; at < body.length; at += 10_000) socket.write(body.subarray(at, at + 10_000));
      socket.end();
    });
    const response = await PooledResponse.open({ url, timeoutMs: 5_000, bufferBytes: 16 * 1024, buffers: 3 });
    expect(response.statusCode).toBe(200);
    expect(response.length).toBe(body.length);

    const sink = new SlowSink(1);
    let flushed = 0;
    await response.pipeTo(sink, (bytes) => (flushed += bytes));

    expect(sink.hash.digest('hex')).toBe(sha256(body));
    expect(flushed).toBe(body.length);
    expect(sink.writableFinished).toBe(true);
    expect(sink.buffersSeen.size).toBeLessThanOrEqual(3);
  });

  it('asks a write gate before every write, in order, and holds the writes while it waits, keeping their order', async () => {
    const body = randomBytes(1024 * 1024 + 5);
    const { url } = await server((socket) => {
      socket.write(head(body.length));
      socket.end(body);
    });
    const response = await PooledResponse.open({ url, timeoutMs: 5_000, bufferBytes: 16 * 1024, buffers: 4 });
    const sink = new SlowSink(0);
    const asked: number[] = [];
    // Every third write waits a tick; the others may go at once.
    const gate = (bytes: number) => {
      asked.push(bytes);
      return asked.length % 3 === 0 ? sleep(1) : undefined;
    };
    let flushed = 0;
    await response.pipeTo(sink, (bytes) => (flushed += bytes), gate);

    expect(sink.hash.digest('hex')).toBe(sha256(body));
    expect(asked.reduce((sum, bytes) => sum + bytes, 0)).toBe(body.length);
    expect(flushed).toBe(body.length);
    expect(sink.buffersSeen.size).toBeLessThanOrEqual(4);
    expect(asked.length).toBeGreaterThan(3); // some writes really waited
  });

  it('fails the transfer when the write gate rejects, destroying the destination', async () => {
    const { url } = await server((socket) => {
      socket.write(head(100_000));
      socket.end(Buffer.alloc(100_000));
    });
    const response = await PooledResponse.open({ url, timeoutMs: 5_000 });
    const sink = new SlowSink(0);
    await expect(response.pipeTo(sink, undefined, () => Promise.reject(new Error('no tokens')))).rejects.toThrow(
      'no tokens',
    );
    expect(sink.destroyed).toBe(true);
    expect(sink.bytes).toBe(0);
  });

  it('reads a head that arrives in pieces, with the first body bytes in its last piece', async () => {
    const body = Buffer.from('0123456789'.repeat(1000));
    const raw = Buffer.concat([Buffer.from(head(body.length, '206 Partial Content')), body]);
    const { url } = await server(async (socket) => {
      for (const [from, to] of [
        [0, 5],
        [5, 30],
        [30, raw.length - body.length + 3],
        [raw.length - body.length + 3, raw.length],
      ]) {
        socket.write(raw.subarray(from, to));
        await sleep(20);
      }
      socket.end();
    });
    const response = await PooledResponse.open({ url, timeoutMs: 5_000 });
    expect(response.statusCode).toBe(206);
    const sink = new SlowSink(0);
    await response.pipeTo(sink);
    expect(sink.hash.digest('hex')).toBe(sha256(body));
  });

  it('sends the request line, Host and the given headers', async () => {
    let request = '';
    const { url } = await server((socket, received) => {
      request = received;
      socket.end(head(0));
    });
    const response = await PooledResponse.open({ url, timeoutMs: 5_000, headers: { Range: 'bytes=0-9' } });
    await response.pipeTo(new SlowSink(0));
    expect(request).toBe(
      `GET /bucket/key?X-Amz-Signature=abc HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\nRange: bytes=0-9\r\n\r\n`,
    );
  });

  it('fails when the server closes before the announced length, and destroys the destination', async () => {
    const { url } = await server((socket) => socket.end(`${head(100)}only ten b`));
    const response = await PooledResponse.open({ url, timeoutMs: 5_000 });
    const sink = new SlowSink(0);
    await expect(response.pipeTo(sink)).rejects.toThrow('closed the connection after 10 of 100 body bytes');
    expect(sink.destroyed).toBe(true);
  });

  it('fails when the server sends more than it announced', async () => {
    const { url } = await server((socket) => socket.end(`${head(4)}four and more`));
    const response = await PooledResponse.open({ url, timeoutMs: 5_000 });
    await expect(response.pipeTo(new SlowSink(0))).rejects.toThrow('more than the 4 bytes');
  });

  it('stops reading and closes the connection when the destination goes away', async () => {
    const { url, closed } = await server((socket) => {
      socket.write(head(10 * 1024 * 1024));
      const chunk = Buffer.alloc(64 * 1024);
      const more = () => {
        while (socket.writable && socket.write(chunk));
      };
      socket.on('drain', more);
      more();
    });
    const response = await PooledResponse.open({ url, timeoutMs: 5_000 });
    const sink = new SlowSink(5);
    setTimeout(() => sink.destroy(), 50);
    await expect(response.pipeTo(sink)).rejects.toThrow();
    await closed; // the server saw its connection end
  });

  it('times out a silent server, but not while the destination holds the body back', async () => {
    const silent = await server((socket) => socket.write(`${head(10)}12345`));
    const stalled = await PooledResponse.open({ url: silent.url, timeoutMs: 200 });
    await expect(stalled.pipeTo(new SlowSink(0))).rejects.toThrow('silent for 200 ms');

    const body = randomBytes(64 * 1024);
    const steady = await server((socket) => socket.end(Buffer.concat([Buffer.from(head(body.length)), body])));
    const response = await PooledResponse.open({ url: steady.url, timeoutMs: 200, bufferBytes: 16 * 1024, buffers: 2 });
    const sink = new SlowSink(150); // four writes of 150 ms: longer than the timeout in all
    await response.pipeTo(sink);
    expect(sink.hash.digest('hex')).toBe(sha256(body));
  });

  it('reads an error document as text', async () => {
    const document = '<?xml version="1.0"?><Error><Code>NoSuchKey</Code></Error>';
    const { url } = await server((socket) => socket.end(`${head(document.length, '404 Not Found')}${document}`));
    const response = await PooledResponse.open({ url, timeoutMs: 5_000 });
    expect(response.statusCode).toBe(404);
    expect(await response.readText(64 * 1024)).toBe(document);
  });

  it('refuses a malformed response head, a body without a length, no response, and a refused connection', async () => {
    const garbage = await server((socket) => socket.end('SSH-2.0-OpenSSH\r\n\r\n'));
    await expect(PooledResponse.open({ url: garbage.url, timeoutMs: 5_000 })).rejects.toThrow(/Malformed status line/);

    const unsized = await server((socket) =>
      socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'),
    );
    const response = await PooledResponse.open({ url: unsized.url, timeoutMs: 5_000 });
    await expect(response.pipeTo(new SlowSink(0))).rejects.toThrow('no Content-Length');

    const hangUp = await server((socket) => socket.end());
    await expect(PooledResponse.open({ url: hangUp.url, timeoutMs: 5_000 })).rejects.toThrow('without a response');

    const gone = await serve(() => undefined);
    gone.close();
    await sleep(10);
    await expect(PooledResponse.open({ url: gone.url, timeoutMs: 5_000 })).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});

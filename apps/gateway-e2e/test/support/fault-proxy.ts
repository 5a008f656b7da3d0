import net from 'node:net';

export interface FaultProxy {
  port: number;
  /** Connections cut so far. */
  readonly cuts: number;
  /** Client bytes forwarded to each target, by target index. */
  readonly bytesTo: number[];
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of gateway replicas that cuts the connection it is forwarding whenever
 * the client bytes it has forwarded in total pass the next of `cutPoints`, and from then on
 * sends new connections to the next of `targets`: a client that resumes after a drop lands
 * on another replica, as behind a load balancer.
 */
export async function startFaultProxy(targets: number[], cutPoints: number[]): Promise<FaultProxy> {
  const pending = [...cutPoints].sort((a, b) => a - b);
  const sockets = new Set<net.Socket>();
  const bytesTo = targets.map(() => 0);
  let forwarded = 0;
  let cuts = 0;

  const server = net.createServer((client) => {
    const target = cuts % targets.length;
    const upstream = net.connect(targets[target] ?? 0, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    const cut = () => {
      cuts += 1;
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      const cutAt = pending[0];
      if (cutAt !== undefined && forwarded + chunk.length >= cutAt) {
        pending.shift();
        const keep = Math.max(0, cutAt - forwarded);
        forwarded += keep;
        bytesTo[target] = (bytesTo[target] ?? 0) + keep;
        upstream.write(chunk.subarray(0, keep), cut);
        return;
      }
      forwarded += chunk.length;
      bytesTo[target] = (bytesTo[target] ?? 0) + chunk.length;
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('drain', () => client.resume());
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    get cuts() {
      return cuts;
    },
    bytesTo,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface FreezableProxy {
  port: number;
  /** Stops moving bytes both ways, connections kept open: what `kill -STOP` does to a server. */
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

/** A TCP proxy to 127.0.0.1:`targetPort` that can be frozen (security-cases WS-07: Redis under SIGSTOP). */
export async function startFreezableProxy(targetPort: number): Promise<FreezableProxy> {
  const sockets = new Set<net.Socket>();
  /** Bytes held while frozen, with where they go; small (Redis commands and answers). */
  const held: [net.Socket, Buffer][] = [];
  let frozen = false;
  const forward = (to: net.Socket) => (chunk: Buffer) => (frozen ? held.push([to, chunk]) : to.write(chunk));
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('data', forward(upstream));
    upstream.on('data', forward(client));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
      for (const [to, chunk] of held.splice(0)) to.write(chunk);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

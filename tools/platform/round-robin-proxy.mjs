// A small reverse proxy for the local cluster (`npm run start:cluster`): it sends each HTTP
// request, and each WebSocket upgrade, to the next of its backends in turn. Bodies stream both
// ways through pipes (backpressure included, nothing buffered); a backend that refuses the
// connection is skipped for the next one, so a stopped gateway costs no failed request; when
// none is up the answer is a 502 in the API's error envelope. It is a development tool, the
// local stand-in for the load balancer in front of the gateways (k8s: the Ingress).
import http from 'node:http';
import { pipeline } from 'node:stream';

/** Headers of one hop only (RFC 9110 § 7.6.1), never passed on; Node frames each hop itself. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  // This proxy's server answers 100 Continue itself; the backend gets the body without asking.
  'expect',
]);
/** The X-Forwarded-* headers this proxy sets; a client's own Proto and Host are not believed. */
const SET_HERE = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host']);

/** The body of a 502: the API's error envelope (docs/api.md § Conventions). */
const UNAVAILABLE = JSON.stringify({
  error: {
    code: 'SERVICE_UNAVAILABLE',
    message: 'No gateway is reachable behind this proxy; try again shortly',
    details: { retryAfterSeconds: 1 },
  },
});

/** `::ffff:1.2.3.4` → `1.2.3.4`, as the gateway reads addresses. */
const plainAddress = (address = '') => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');

/** Header names a `Connection` header lists: hop-by-hop for this message too. */
function listedInConnection(value) {
  return new Set(
    String(value ?? '')
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** `rawHeaders` without hop-by-hop headers and those in `drop`, as a flat [name, value, …] list. */
function endToEndHeaders(rawHeaders, connection, drop = new Set()) {
  const listed = listedInConnection(connection);
  const kept = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const lower = rawHeaders[index].toLowerCase();
    if (HOP_BY_HOP.has(lower) || listed.has(lower) || drop.has(lower)) continue;
    kept.push(rawHeaders[index], rawHeaders[index + 1]);
  }
  return kept;
}

/**
 * The request's headers for the backend: Host kept as the client sent it (the gateway checks a
 * WebSocket's Origin against it), X-Forwarded-For with the client's address appended (the
 * gateway walks it from the right, so what a client prepends itself is not believed), and this
 * hop's X-Forwarded-Proto and -Host.
 */
export function forwardedRequestHeaders(request, { upgrade = false } = {}) {
  const headers = endToEndHeaders(request.rawHeaders, request.headers.connection, SET_HERE);
  const earlier = request.headers['x-forwarded-for'];
  const client = plainAddress(request.socket.remoteAddress);
  headers.push('X-Forwarded-For', earlier ? `${earlier}, ${client}` : client);
  headers.push('X-Forwarded-Proto', request.socket.encrypted ? 'https' : 'http');
  if (request.headers.host) headers.push('X-Forwarded-Host', request.headers.host);
  if (upgrade) headers.push('Connection', 'Upgrade', 'Upgrade', request.headers.upgrade ?? 'websocket');
  return headers;
}

/** An HTTP/1.1 response head for a raw socket (WebSocket upgrades are answered there). */
function responseHead(status, statusMessage, flatHeaders) {
  const lines = [`HTTP/1.1 ${status} ${statusMessage ?? http.STATUS_CODES[status] ?? ''}`];
  for (let index = 0; index + 1 < flatHeaders.length; index += 2) {
    lines.push(`${flatHeaders[index]}: ${flatHeaders[index + 1]}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

const unavailableHeaders = () => [
  'Content-Type',
  'application/json; charset=utf-8',
  'Content-Length',
  String(Buffer.byteLength(UNAVAILABLE)),
  'Cache-Control',
  'no-store',
  'Retry-After',
  '1',
];

/**
 * Starts the proxy on `port` (0: any free one) in front of `backends` (base URLs such as
 * `http://127.0.0.1:8081`). `log(name, line)` hears when a backend stops or starts answering.
 * @returns {Promise<import('./round-robin-proxy.d.mts').RoundRobinProxy>}
 */
export async function startRoundRobinProxy({ port, host = '127.0.0.1', backends, log = () => undefined }) {
  if (!Array.isArray(backends) || backends.length === 0) throw new Error('the proxy needs at least one backend');
  const targets = backends.map((backend) => {
    const url = new URL(backend);
    // An IPv6 literal comes bracketed in a URL ([::1]); a socket wants it bare.
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return { url: url.origin, host, port: Number(url.port || 80), down: false };
  });
  let next = 0;
  /** Every backend once, starting with the next one in turn. */
  const rotation = () => {
    const start = next;
    next = (next + 1) % targets.length;
    return targets.map((_, offset) => targets[(start + offset) % targets.length]);
  };
  const markDown = (target) => {
    if (!target.down) log('proxy', `${target.url} refuses connections; sending its share to the others`);
    target.down = true;
  };
  const markUp = (target) => {
    if (target.down) log('proxy', `${target.url} answers again`);
    target.down = false;
  };
  /** Upgraded sockets are no longer the HTTP server's: closing the proxy cuts them here. */
  const tunnels = new Set();

  /**
   * Opens a request to the first backend of `order` that accepts the connection. `handlers`:
   * `attempting(upstream)` for each try, `connected(upstream)` once one connected (only then may
   * the request's body go out, so a refused try has consumed nothing), `failed(error)` for any
   * other error, `exhausted()` when every backend refused.
   */
  function openUpstream(request, headers, order, handlers) {
    const [target, ...rest] = order;
    if (!target) return handlers.exhausted();
    const upstream = http.request({
      host: target.host,
      port: target.port,
      method: request.method,
      path: request.url,
      headers,
      setHost: false,
      // A fresh connection per request: a killed backend shows at once as a refused connect,
      // never as a pooled socket that turns out dead after the body went out.
      agent: false,
    });
    handlers.attempting(upstream);
    let isConnected = false;
    upstream.once('socket', (socket) => {
      const ready = () => {
        isConnected = true;
        markUp(target);
        handlers.connected(upstream);
      };
      if (socket.connecting) socket.once('connect', ready);
      else ready();
    });
    upstream.on('error', (error) => {
      if (!isConnected && error.code === 'ECONNREFUSED') {
        markDown(target);
        openUpstream(request, headers, rest, handlers);
      } else {
        handlers.failed(error);
      }
    });
  }

  function forwardRequest(request, response) {
    let upstream;
    let answered = false;
    response.on('close', () => {
      // The client went away before the whole answer: stop the backend's work too.
      if (!response.writableFinished) upstream?.destroy();
    });
    // An answer given before the request's whole body arrived (a refusal, or a 502 while a body
    // waits): the rest is not drained through the proxy, the client's connection ends instead.
    const closeUnlessComplete = () => (request.complete ? [] : ['Connection', 'close']);
    const answerUnavailable = () => {
      if (response.headersSent) return response.destroy();
      response.writeHead(502, [...unavailableHeaders(), ...closeUnlessComplete()]);
      response.end(UNAVAILABLE);
    };
    openUpstream(request, forwardedRequestHeaders(request), rotation(), {
      attempting: (attempt) => (upstream = attempt),
      connected: (chosen) => {
        chosen.on('response', (answer) => {
          answered = true;
          response.writeHead(answer.statusCode ?? 502, answer.statusMessage, [
            ...endToEndHeaders(answer.rawHeaders, answer.headers.connection),
            ...closeUnlessComplete(),
          ]);
          // A backend killed mid-answer aborts `answer`; pipeline then cuts the client's response,
          // so the client sees a short body (and may resume with Range), never a complete-looking one.
          pipeline(answer, response, () => undefined);
        });
        request.pipe(chosen);
      },
      // After the answer began, its own stream reports how it ends (a backend closing early
      // while the client still sends is not a failure of the answer).
      failed: () => answered || answerUnavailable(),
      exhausted: () => answerUnavailable(),
    });
  }

  function forwardUpgrade(request, socket, head) {
    let upstream;
    socket.on('error', () => socket.destroy());
    socket.on('close', () => upstream?.destroy());
    const refuse = () => {
      socket.once('finish', () => socket.destroy());
      socket.end(responseHead(502, undefined, [...unavailableHeaders(), 'Connection', 'close']) + UNAVAILABLE);
    };
    openUpstream(request, forwardedRequestHeaders(request, { upgrade: true }), rotation(), {
      attempting: (attempt) => (upstream = attempt),
      connected: (chosen) => {
        chosen.on('upgrade', (answer, backendSocket, backendHead) => {
          tunnels.add(socket);
          socket.once('close', () => tunnels.delete(socket));
          socket.write(responseHead(answer.statusCode, answer.statusMessage, answer.rawHeaders));
          if (backendHead.length > 0) socket.write(backendHead);
          if (head.length > 0) backendSocket.write(head);
          for (const end of [socket, backendSocket]) end.setNoDelay?.(true);
          backendSocket.on('error', () => backendSocket.destroy());
          backendSocket.on('close', () => socket.destroy());
          socket.on('close', () => backendSocket.destroy());
          // From here on only bytes: TCP backpressure paces both directions.
          backendSocket.pipe(socket).pipe(backendSocket);
        });
        // The backend refused the upgrade (403, 503…): its answer goes to the client, then the socket ends.
        chosen.on('response', (answer) => {
          const headers = endToEndHeaders(answer.rawHeaders, answer.headers.connection);
          socket.write(responseHead(answer.statusCode, answer.statusMessage, [...headers, 'Connection', 'close']));
          pipeline(answer, socket, () => socket.destroy());
        });
        chosen.end();
      },
      failed: () => (socket.writable && !tunnels.has(socket) ? refuse() : socket.destroy()),
      exhausted: refuse,
    });
  }

  const server = http.createServer(forwardRequest);
  // Uploads may take longer than Node's default of 300 s for a whole request; the gateway
  // applies its own limits (GATEWAY_REQUEST_TIMEOUT_SECONDS).
  server.requestTimeout = 0;
  server.on('upgrade', forwardUpgrade);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address().port;
  return {
    port: bound,
    url: `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${bound}`,
    backends: targets.map((target) => target.url),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of tunnels) socket.destroy();
      }),
  };
}

// The container health check of every Nest app image (HEALTHCHECK in deploy/Dockerfile, the
// healthchecks of deploy/compose.yaml). Exits 0 when the app in this container is healthy, 1 when not.
//
//   gateway                    GET /api/v1/health on GATEWAY_PORT (200 only when its services answer),
//                              and unless RELAY_WS_ADDRESS names a relay run apart, GET /health on
//                              RELAY_METRICS_PORT: the relay it runs as its child process (ADR 0011)
//   cleanup                    GET /health on CLEANUP_METRICS_PORT
//   auth, files, quotas, relay grpc.health.v1.Health/Check on the port of <APP>_GRPC_ADDRESS
//
// The gRPC check speaks the protocol over node:http2 itself: one unary call with an empty request
// is a handful of bytes, and this way the check needs no package (nor a downloaded
// grpc_health_probe binary) and starts in a few milliseconds.
import { connect } from 'node:http2';
import { fileURLToPath } from 'node:url';

const GRPC_APPS = ['auth', 'files', 'quotas', 'relay'];
/** grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING */
const SERVING = 1;

/** The port of a `host:port` address. */
export function portOf(address) {
  const port = Number(String(address).split(':').pop());
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) throw new Error(`no port in "${address}"`);
  return port;
}

/** The `status` field (1, varint) of an encoded HealthCheckResponse; 0 (UNKNOWN) when absent. */
export function servingStatusOf(message) {
  let offset = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; offset < message.length; shift += 7) {
      const byte = message[offset++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
    throw new Error('truncated varint');
  };
  let status = 0;
  while (offset < message.length) {
    const key = varint();
    const wireType = key & 7;
    if (key >>> 3 === 1 && wireType === 0) status = varint();
    else if (wireType === 0) varint();
    else if (wireType === 2) {
      // Read the length first: `offset += varint()` would add it to the offset from before the read.
      const length = varint();
      offset += length;
    } else if (wireType === 1) offset += 8;
    else if (wireType === 5) offset += 4;
    else throw new Error(`unexpected wire type ${wireType}`);
  }
  return status;
}

/** Calls grpc.health.v1.Health/Check on host:port (plaintext); resolves true when SERVING. */
export function checkGrpc(host, port, timeoutMs = 3_000) {
  return new Promise((resolve) => {
    const session = connect(`http://${host}:${port}`);
    const finish = (healthy) => {
      clearTimeout(timer);
      session.destroy();
      resolve(healthy);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    session.on('error', () => finish(false));
    const call = session.request({
      ':method': 'POST',
      ':path': '/grpc.health.v1.Health/Check',
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    const chunks = [];
    call.on('data', (chunk) => chunks.push(chunk));
    call.on('error', () => finish(false));
    let grpcStatus;
    call.on('response', (headers) => (grpcStatus = headers['grpc-status'] ?? grpcStatus));
    call.on('trailers', (trailers) => (grpcStatus = trailers['grpc-status'] ?? grpcStatus));
    call.on('end', () => {
      try {
        const body = Buffer.concat(chunks);
        // A gRPC message: 1 byte "compressed" flag, 4 bytes length, then the protobuf message.
        const length = body.length >= 5 ? body.readUInt32BE(1) : 0;
        const healthy =
          String(grpcStatus) === '0' &&
          body.length >= 5 + length &&
          servingStatusOf(body.subarray(5, 5 + length)) === SERVING;
        finish(healthy);
      } catch {
        finish(false);
      }
    });
    // HealthCheckRequest { service: "" } encodes to zero bytes: the frame is its 5-byte prefix only.
    call.end(Buffer.from([0, 0, 0, 0, 0]));
  });
}

/** GET url; resolves true on a 2xx answer. */
export async function checkHttp(url, timeoutMs = 3_000) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * The gateway and the relay it runs: the gateway's health asks the relay's gRPC where
 * RELAY_GRPC_ADDRESS points, which need not be this container's relay; the relay's metrics port
 * answers for the child process itself (and 503 while it drains).
 */
async function checkGateway(env) {
  const checks = [checkHttp(`http://127.0.0.1:${env.GATEWAY_PORT ?? 8080}/api/v1/health`)];
  if (!env.RELAY_WS_ADDRESS) checks.push(checkHttp(`http://127.0.0.1:${env.RELAY_METRICS_PORT ?? 9469}/health`));
  return (await Promise.all(checks)).every(Boolean);
}

/** Checks the app named by LEXY_APP (set by the image) with the ports its own variables give. */
export function checkApp(env = process.env) {
  const app = env.LEXY_APP;
  if (app === 'gateway') return checkGateway(env);
  if (app === 'cleanup') return checkHttp(`http://127.0.0.1:${env.CLEANUP_METRICS_PORT ?? 9464}/health`);
  if (GRPC_APPS.includes(app)) {
    const defaults = { auth: 50051, files: 50052, quotas: 50053, relay: 50054 };
    const address = env[`${app.toUpperCase()}_GRPC_ADDRESS`] ?? `:${defaults[app]}`;
    return checkGrpc('127.0.0.1', portOf(address));
  }
  throw new Error(`LEXY_APP is "${app ?? ''}": expected one of gateway, cleanup, ${GRPC_APPS.join(', ')}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  checkApp().then(
    (healthy) => process.exit(healthy ? 0 : 1),
    (error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}

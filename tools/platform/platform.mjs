// Starts the whole platform from built apps: the local S3 endpoint, migrations, the
// gRPC services (auth, quotas, files), the gateway — which runs the relay as its own child
// process (ADR 0011) — and the cleanup worker, each as a child process with its own port and
// prefixed logs. Used by `npm start`, the end-to-end tests and the benchmark.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { formatLogLine } from './log-format.mjs';
import { preflight } from './preflight.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The gRPC services, each with a database `${prefix}_${service}` that its migrations create. */
export const SERVICES = ['auth', 'quotas', 'files', 'relay'];
/** The service the gateway runs as its own child process rather than the launcher (ADR 0011). */
const RUN_BY_GATEWAY = 'relay';

export const DEFAULT_PORTS = {
  gateway: 8080,
  auth: 50051,
  files: 50052,
  quotas: 50053,
  relay: 50054,
  /**
   * The relay's own WebSocket port: the gateway hands its sockets to the relay it runs (ADR 0011);
   * a further gateway started by startGateway pipes its `/ws` here (ADR 0007).
   */
  relayWs: 50055,
  /** Where the other relay replicas send the bytes of a transfer whose receiver is connected here. */
  relayPeer: 50056,
  s3: 9000,
  /** The cleanup worker's HTTP port: its /metrics and /health. */
  cleanup: 9464,
  /** Each service's metrics port (GET /metrics, GET /health): internal, never a public port. */
  gatewayMetrics: 9465,
  authMetrics: 9466,
  filesMetrics: 9467,
  quotasMetrics: 9468,
  relayMetrics: 9469,
};

/** The metrics port of each service, by the key of its port in `ports` and its variable. */
export const METRICS_PORTS = {
  gateway: { key: 'gatewayMetrics', variable: 'GATEWAY_METRICS_PORT' },
  auth: { key: 'authMetrics', variable: 'AUTH_METRICS_PORT' },
  files: { key: 'filesMetrics', variable: 'FILES_METRICS_PORT' },
  quotas: { key: 'quotasMetrics', variable: 'QUOTAS_METRICS_PORT' },
  relay: { key: 'relayMetrics', variable: 'RELAY_METRICS_PORT' },
};

/**
 * Where an extra replica's metrics port goes when its caller names none: 1000 above its main
 * port, which the port plans of the launcher, the tests and the benchmarks leave free.
 */
export const EXTRA_METRICS_PORT_OFFSET = 1000;

/**
 * V8 flags for a process that streams file bytes. Each 64 KiB chunk a socket hands over is a
 * new buffer whose memory lives outside the JS heap; it is freed only when a garbage collection
 * finds its small JS wrapper dead. With V8's default young generation (16 MiB semi-spaces)
 * the wrappers fill it so slowly that dead chunks pile up until the 64 MiB external-memory
 * limit forces a full mark-compact, again and again. A 1 MiB young generation collects them
 * within about a megabyte of JS allocations instead. Measured with tools/bench (1 GiB, 2-core
 * VM): peak RSS 280 -> 190 MB, idle RSS 175 -> 137 MB, download CPU ~3.5 -> ~1-1.5 s per GiB.
 * Downloads no longer allocate per chunk at all (PooledResponse in libs/server/storage), so this
 * now serves uploads. Deployments of the gateway should start Node with the same flags.
 */
export const STREAMING_NODE_FLAGS = ['--max-semi-space-size=1'];

/** The environment every process of one platform instance shares. */
export function platformEnv({ ports = DEFAULT_PORTS, databasePrefix = 'lexy', dataDir, base = process.env } = {}) {
  const metricsPorts = {};
  for (const [service, { key, variable }] of Object.entries(METRICS_PORTS)) {
    if (ports[key] === undefined) throw new Error(`ports.${key} (the metrics port of ${service}) is missing`);
    metricsPorts[variable] = String(ports[key]);
  }
  return {
    ...base,
    GATEWAY_PORT: String(ports.gateway),
    AUTH_GRPC_ADDRESS: `127.0.0.1:${ports.auth}`,
    FILES_GRPC_ADDRESS: `127.0.0.1:${ports.files}`,
    QUOTAS_GRPC_ADDRESS: `127.0.0.1:${ports.quotas}`,
    RELAY_GRPC_ADDRESS: `127.0.0.1:${ports.relay}`,
    RELAY_WS_PORT: String(ports.relayWs),
    RELAY_PEER_PORT: String(ports.relayPeer),
    RELAY_PEER_URL: `ws://127.0.0.1:${ports.relayPeer}`,
    AUTH_DATABASE: base.AUTH_DATABASE ?? `${databasePrefix}_auth`,
    FILES_DATABASE: base.FILES_DATABASE ?? `${databasePrefix}_files`,
    QUOTAS_DATABASE: base.QUOTAS_DATABASE ?? `${databasePrefix}_quotas`,
    RELAY_DATABASE: base.RELAY_DATABASE ?? `${databasePrefix}_relay`,
    S3_ENDPOINT: base.S3_ENDPOINT ?? `http://127.0.0.1:${ports.s3}`,
    S3_PORT: String(ports.s3),
    S3_DATA_DIR: dataDir ?? join(ROOT, '.data/s3'),
    S3_BUCKET: base.S3_BUCKET ?? 'lexy-files',
    CLEANUP_METRICS_PORT: String(ports.cleanup),
    ...metricsPorts,
    // BullMQ queues of this platform only (several instances may share one Redis).
    QUEUE_PREFIX: base.QUEUE_PREFIX ?? databasePrefix,
  };
}

function pipeLogs(name, child, log) {
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => log(name, line));
  }
}

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing is listening on port ${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

function assertPortFree(port, name) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', () =>
      reject(new Error(`port ${port} (${name}) is already in use: stop what uses it or choose another port`)),
    );
    server.listen(port, '127.0.0.1', () => server.close(resolve));
  });
}

function runToEnd(name, args, env, log) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    pipeLogs(name, child, log);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${name} exited with code ${code}`))));
  });
}

export async function waitForHealth(baseUrl, timeoutMs, path = '/api/v1/health') {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${baseUrl}${path}`);
      if (response.ok) return;
      last = await response.text();
    } catch (error) {
      last = error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the platform did not become healthy in ${timeoutMs} ms: ${last}`);
}

/** Stops a child: SIGTERM, then SIGKILL after 5 s; resolves once it exited. */
function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
    setTimeout(() => {
      // A gateway's relay too (ADR 0011): orphaned, it would hold its ports through its own drain.
      for (const pid of childPids(child.pid)) process.kill(pid, 'SIGKILL');
      child.kill('SIGKILL');
    }, 5_000).unref();
  });
}

/** Spawns one more process of a built app against a running platform and waits until `ready` resolves. */
async function startExtra({ name, script, env, port, metricsPort, nodeFlags = [], log, ready }) {
  await assertPortFree(port, name);
  if (metricsPort !== undefined) await assertPortFree(metricsPort, `${name} metrics`);
  const child = spawn(process.execPath, [...nodeFlags, script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  pipeLogs(`${name}:${port}`, child, log);
  const stop = () => stopChild(child);
  try {
    await ready();
  } catch (error) {
    await stop();
    throw error;
  }
  return { process: child, stop };
}

/**
 * Starts one more gateway replica against a running platform's services (`env` is that
 * platform's), on `port` with its metrics on `metricsPort`, and resolves once it is healthy.
 * Its `/ws` is piped to the platform's relay (RELAY_WS_ADDRESS, ADR 0007) unless `relay` names
 * the ports of a relay of its own, which it then runs as its child as the platform's first
 * gateway does (ADR 0011); `relayPid()` is that child's process id.
 * @param {{ env: Record<string,string>, port: number, metricsPort?: number, relay?: { port: number, wsPort: number, peerPort: number, metricsPort: number }, log?: Function, startupTimeoutMs?: number }} options
 * @returns {Promise<{ url: string, metricsUrl: string, process: import('node:child_process').ChildProcess, relayPid(): number | undefined, stop(): Promise<void> }>}
 */
export async function startGateway({
  env,
  port,
  metricsPort = port + EXTRA_METRICS_PORT_OFFSET,
  relay,
  log = () => undefined,
  startupTimeoutMs = 60_000,
}) {
  const url = `http://127.0.0.1:${port}`;
  // A RELAY_WS_ADDRESS the caller gives wins (a relay replica of a test's own).
  const relayEnv = relay
    ? ownRelayEnv(relay)
    : { RELAY_WS_ADDRESS: env.RELAY_WS_ADDRESS ?? `127.0.0.1:${env.RELAY_WS_PORT}` };
  if (relay) for (const [name, taken] of Object.entries(relay)) await assertPortFree(taken, `relay ${name}`);
  const started = await startExtra({
    name: 'gateway',
    script: join(ROOT, 'apps/gateway/dist/main.js'),
    env: { ...env, ...relayEnv, GATEWAY_PORT: String(port), GATEWAY_METRICS_PORT: String(metricsPort) },
    port,
    metricsPort,
    nodeFlags: STREAMING_NODE_FLAGS,
    log,
    ready: () =>
      Promise.all([
        waitForHealth(url, startupTimeoutMs),
        ...[metricsPort, ...Object.values(relay ?? {})].map((taken) => waitForPort(taken, startupTimeoutMs)),
      ]),
  });
  return {
    url,
    metricsUrl: `http://127.0.0.1:${metricsPort}`,
    relayPid: () => (relay ? childPids(started.process.pid)[0] : undefined),
    ...started,
  };
}

/** The variables of a relay of a gateway's own: its gRPC, WebSocket, peer and metrics ports. */
function ownRelayEnv({ port, wsPort, peerPort, metricsPort }) {
  return {
    RELAY_GRPC_ADDRESS: `127.0.0.1:${port}`,
    RELAY_WS_PORT: String(wsPort),
    RELAY_PEER_PORT: String(peerPort),
    RELAY_PEER_URL: `ws://127.0.0.1:${peerPort}`,
    RELAY_METRICS_PORT: String(metricsPort),
  };
}

/** The process ids of `pid`'s children (Linux: /proc), oldest first. */
export function childPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Starts one more relay replica against a running platform (`env` is that platform's): its gRPC
 * service on `port`, its devices' WebSocket on `wsPort`, its peer port (bytes from other replicas)
 * on `peerPort`, its metrics on `metricsPort`; resolves once all four listen. A gateway whose
 * RELAY_WS_ADDRESS is `127.0.0.1:${wsPort}` puts its devices' sockets on this replica.
 * @returns {Promise<{ metricsUrl: string, process: import('node:child_process').ChildProcess, stop(): Promise<void> }>}
 */
export async function startRelay({
  env,
  port,
  wsPort,
  peerPort,
  metricsPort = port + EXTRA_METRICS_PORT_OFFSET,
  log = () => undefined,
  startupTimeoutMs = 60_000,
}) {
  for (const [name, taken] of [
    ['relay ws', wsPort],
    ['relay peer', peerPort],
  ])
    await assertPortFree(taken, name);
  const started = await startExtra({
    name: 'relay',
    script: join(ROOT, 'apps/relay/dist/main.js'),
    env: { ...env, ...ownRelayEnv({ port, wsPort, peerPort, metricsPort }) },
    port,
    metricsPort,
    nodeFlags: STREAMING_NODE_FLAGS,
    log,
    ready: () =>
      Promise.all([port, wsPort, peerPort, metricsPort].map((taken) => waitForPort(taken, startupTimeoutMs))),
  });
  return { metricsUrl: `http://127.0.0.1:${metricsPort}`, ...started };
}

/**
 * Starts one more cleanup worker against a running platform (`env` is that platform's, with any
 * CLEANUP_* overrides), its metrics on `port`; resolves once it answers /health.
 * @returns {Promise<{ url: string, process: import('node:child_process').ChildProcess, stop(): Promise<void> }>}
 */
export async function startCleanup({ env, port, log = () => undefined, startupTimeoutMs = 60_000 }) {
  const url = `http://127.0.0.1:${port}`;
  const started = await startExtra({
    name: 'cleanup',
    script: join(ROOT, 'apps/cleanup/dist/main.js'),
    env: { ...env, CLEANUP_METRICS_PORT: String(port) },
    port,
    log,
    ready: () => waitForHealth(url, startupTimeoutMs, '/health'),
  });
  return { url, ...started };
}

/**
 * Starts everything and resolves once GET /api/v1/health answers 200.
 * @returns {{ gatewayUrl: string, s3Endpoint: string, env: Record<string,string>, processes: Record<string, import('node:child_process').ChildProcess>, stop(): Promise<void> }}
 */
export async function startPlatform({
  ports = DEFAULT_PORTS,
  databasePrefix = 'lexy',
  dataDir,
  log = (name, line) => console.log(formatLogLine(name, line)),
  base = process.env,
  startupTimeoutMs = 60_000,
} = {}) {
  const env = platformEnv({ ports, databasePrefix, dataDir, base });
  const problems = await preflight(env);
  if (problems.length > 0) {
    const error = new Error(problems.join('\n'));
    error.preflight = true;
    throw error;
  }
  for (const [name, port] of Object.entries(ports)) await assertPortFree(port, name);
  mkdirSync(env.S3_DATA_DIR, { recursive: true });

  const children = [];
  const processes = {};
  const stop = async () => {
    await Promise.all(children.reverse().map(stopChild));
  };
  // A process that dies while the platform starts fails the start at once, naming it.
  let reportCrash;
  const crashed = new Promise((_, reject) => (reportCrash = reject));
  crashed.catch(() => undefined);
  let starting = true;
  const launch = (name, script, childEnv = env, nodeFlags = []) => {
    const child = spawn(process.execPath, [...nodeFlags, script], {
      cwd: ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    pipeLogs(name, child, log);
    children.push(child);
    processes[name] = child;
    child.once('exit', (code, signal) => {
      if (starting) reportCrash(new Error(`${name} exited while starting (code ${code ?? signal})`));
    });
    return child;
  };
  const orCrash = (promise) => Promise.race([promise, crashed]);

  try {
    launch('s3', join(ROOT, 'tools/s3/serve.mjs'));
    await orCrash(
      Promise.all([
        waitForPort(ports.s3, startupTimeoutMs),
        ...SERVICES.map((service) =>
          runToEnd('migrate', [join(ROOT, `apps/${service}/dist/database/migrate.js`)], env, log),
        ),
      ]),
    );
    const standalone = SERVICES.filter((service) => service !== RUN_BY_GATEWAY);
    for (const service of standalone) launch(service, join(ROOT, `apps/${service}/dist/main.js`), env);
    await orCrash(
      Promise.all(
        standalone
          .flatMap((service) => [ports[service], ports[METRICS_PORTS[service].key]])
          .map((port) => waitForPort(port, startupTimeoutMs)),
      ),
    );
    // The relay comes up as the gateway's child (ADR 0011); its logs are in the gateway's.
    const gateway = launch('gateway', join(ROOT, 'apps/gateway/dist/main.js'), env, STREAMING_NODE_FLAGS);
    await orCrash(
      Promise.all(
        [ports.relay, ports.relayMetrics, ports.relayWs, ports.relayPeer].map((port) =>
          waitForPort(port, startupTimeoutMs),
        ),
      ),
    );
    processes.relay = { pid: childPids(gateway.pid)[0] };
    launch('cleanup', join(ROOT, 'apps/cleanup/dist/main.js'));
    const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
    await orCrash(
      Promise.all([
        waitForHealth(gatewayUrl, startupTimeoutMs),
        waitForPort(ports.gatewayMetrics, startupTimeoutMs),
        waitForHealth(`http://127.0.0.1:${ports.cleanup}`, startupTimeoutMs, '/health'),
      ]),
    );
    starting = false;
    return { gatewayUrl, s3Endpoint: env.S3_ENDPOINT, env, stop, processes };
  } catch (error) {
    await stop();
    throw error;
  }
}

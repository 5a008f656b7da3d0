// The platform with its stateless apps doubled on this machine: two gateways, two relays and
// two cleanup workers over one set of services, databases, Redis and S3, behind a small
// round-robin proxy on the public port. Used by `npm run start:cluster` and the cluster's
// end-to-end suite (apps/cluster-e2e); what it shows is what a deployment with replicas does.
import net from 'node:net';
import { formatLogLine } from './log-format.mjs';
import { DEFAULT_PORTS, startCleanup, startGateway, startPlatform } from './platform.mjs';
import { startRoundRobinProxy } from './round-robin-proxy.mjs';

/**
 * The local cluster's ports: the proxy takes the gateway's usual public port, the two gateways
 * sit behind it on internal ones, and the second replicas' ports follow the platform's own
 * (DEFAULT_PORTS) without touching any of them.
 */
export const CLUSTER_PORTS = {
  ...DEFAULT_PORTS,
  /** The public entry: the round-robin proxy. */
  proxy: 8080,
  /** The platform's own gateway, now an internal port. */
  gateway: 8081,
  gateway2: 8082,
  gateway2Metrics: 9470,
  relay2: 50057,
  relay2Ws: 50058,
  relay2Peer: 50059,
  relay2Metrics: 9471,
  /** The second cleanup worker's /metrics and /health. */
  cleanup2: 9472,
};

function portTaken(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}

/**
 * Every problem of a port plan at once, before anything starts: a missing port, one port given
 * two jobs, and ports something else already listens on.
 * @returns {Promise<string[]>}
 */
export async function portProblems(ports) {
  const problems = [];
  const missing = Object.keys(CLUSTER_PORTS).filter((key) => !Number.isInteger(ports[key]));
  if (missing.length > 0) problems.push(`no port given for ${missing.join(', ')}`);
  const byPort = new Map();
  for (const [name, port] of Object.entries(ports)) byPort.set(port, [...(byPort.get(port) ?? []), name]);
  for (const [port, names] of byPort) {
    if (names.length > 1) problems.push(`port ${port} is planned for ${names.join(' and ')}`);
  }
  const taken = [];
  for (const [port, names] of byPort) if (await portTaken(port)) taken.push(`${port} (${names.join(', ')})`);
  if (taken.length > 0) {
    problems.push(
      `already in use: ${taken.join(', ')}. Is \`npm start\` or another cluster running? Stop it, or choose other ports.`,
    );
  }
  return problems;
}

/** 127.0.0.1 among the trusted proxies: the gateways must believe the proxy's X-Forwarded-For. */
function trustingTheProxy(trusted = '') {
  const entries = trusted
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.includes('127.0.0.1') ? entries.join(',') : [...entries, '127.0.0.1'].join(',');
}

/**
 * Starts the platform (startPlatform: S3, migrations, services, the first gateway with its relay,
 * and a cleanup worker), a second gateway with a relay of its own (each gateway hands its `/ws`
 * sockets to its relay, ADR 0011, so devices really land on two relays, which find each other
 * through Redis), a second cleanup worker, and the proxy over both gateways on `ports.proxy`;
 * resolves once all of it answers.
 * @returns {Promise<import('./cluster.d.mts').Cluster>}
 */
export async function startCluster({
  ports = CLUSTER_PORTS,
  databasePrefix = 'lexy',
  dataDir,
  base = process.env,
  log = (name, line) => console.log(formatLogLine(name, line)),
  /** Where the proxy listens: every interface by default, like a gateway does. */
  proxyHost = '0.0.0.0',
  startupTimeoutMs = 60_000,
} = {}) {
  const problems = await portProblems(ports);
  if (problems.length > 0) {
    const error = new Error(problems.map((problem) => `  ${problem}`).join('\n'));
    error.preflight = true;
    throw error;
  }
  const platformPorts = Object.fromEntries(Object.keys(DEFAULT_PORTS).map((key) => [key, ports[key]]));
  const clusterBase = {
    ...base,
    TRUSTED_PROXIES: trustingTheProxy(base.TRUSTED_PROXIES),
    // Share links point at the proxy, the one public entry.
    PUBLIC_URL: base.PUBLIC_URL ?? `http://localhost:${ports.proxy}`,
    // The gateways are reached through the proxy only.
    GATEWAY_HOST: base.GATEWAY_HOST ?? '127.0.0.1',
  };
  const platform = await startPlatform({
    ports: platformPorts,
    databasePrefix,
    dataDir,
    base: clusterBase,
    log,
    startupTimeoutMs,
  });
  const { env } = platform;
  /** The second replicas, as they come up. */
  const extra = {};
  let proxy;
  const stop = async () => {
    // The proxy first, so no new request reaches a gateway that is stopping (each stops its relay).
    await proxy?.close();
    await Promise.all([extra.gateway2?.stop(), extra.cleanup2?.stop()]);
    await platform.stop();
  };
  try {
    // Both settle before a failure is reported, so that stop() finds whichever did start.
    const [gatewayStart, cleanupStart] = await Promise.allSettled([
      startGateway({
        env,
        port: ports.gateway2,
        relay: {
          port: ports.relay2,
          wsPort: ports.relay2Ws,
          peerPort: ports.relay2Peer,
          metricsPort: ports.relay2Metrics,
        },
        metricsPort: ports.gateway2Metrics,
        log,
        startupTimeoutMs,
      }),
      startCleanup({ env, port: ports.cleanup2, log, startupTimeoutMs }),
    ]);
    extra.gateway2 = gatewayStart.value;
    extra.cleanup2 = cleanupStart.value;
    for (const outcome of [gatewayStart, cleanupStart]) if (outcome.status === 'rejected') throw outcome.reason;
    const { gateway2, cleanup2 } = extra;
    const gatewayUrls = [platform.gatewayUrl, gateway2.url];
    proxy = await startRoundRobinProxy({ port: ports.proxy, host: proxyHost, backends: gatewayUrls, log });
    const metricsUrl = (port) => `http://127.0.0.1:${port}`;
    return {
      proxyUrl: proxy.url,
      gateways: [
        { url: platform.gatewayUrl, metricsUrl: metricsUrl(ports.gatewayMetrics), process: platform.processes.gateway },
        { url: gateway2.url, metricsUrl: gateway2.metricsUrl, process: gateway2.process },
      ],
      relays: [
        { metricsUrl: metricsUrl(ports.relayMetrics), pid: platform.processes.relay.pid },
        { metricsUrl: metricsUrl(ports.relay2Metrics), pid: gateway2.relayPid() },
      ],
      cleanups: [
        { url: metricsUrl(ports.cleanup), process: platform.processes.cleanup },
        { url: cleanup2.url, process: cleanup2.process },
      ],
      s3Endpoint: platform.s3Endpoint,
      env,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

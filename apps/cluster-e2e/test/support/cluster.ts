import net from 'node:net';

// The running cluster as the global setup describes it (E2E_CLUSTER), and the replicas'
// metrics: how a test tells which gateway, relay or worker did something without timing it.

export interface ClusterInfo {
  /** The public entry: every request of the suite goes here. */
  proxyUrl: string;
  gateways: { url: string; metricsUrl: string; pid: number }[];
  relays: { metricsUrl: string; pid: number }[];
  cleanups: { url: string; pid: number }[];
  cleanupIntervalSeconds: number;
}

export const cluster = (): ClusterInfo => JSON.parse(process.env['E2E_CLUSTER'] ?? '{}') as ClusterInfo;

/** Tokenless callers from an address of their own, through the proxy (which trusts nothing the client says but appends it). */
export const from = (address: string) => ({ 'x-forwarded-for': address });

/** The value of metric `name` at `metricsUrl`, summed over its series whose labels include `labels`. */
export async function metric(metricsUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`${metricsUrl}/metrics`);
  if (!response.ok) throw new Error(`${metricsUrl}/metrics answered ${response.status}`);
  let sum = 0;
  for (const line of (await response.text()).split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}

/** One metric of each gateway, in the cluster's order. */
export const perGateway = (name: string, labels: Record<string, string> = {}) =>
  Promise.all(cluster().gateways.map((gateway) => metric(gateway.metricsUrl, name, labels)));

/** One metric of each relay replica, in the cluster's order. */
export const perRelay = (name: string, labels: Record<string, string> = {}) =>
  Promise.all(cluster().relays.map((relay) => metric(relay.metricsUrl, name, labels)));

/** What each counter of `after` gained over `before`. */
export const gained = (before: number[], after: number[]) => after.map((value, index) => value - (before[index] ?? 0));

export const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** Whether a TCP connection to `url`'s port is refused: nothing listens there (any more). */
export function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

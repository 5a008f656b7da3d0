import { METRIC, METRIC_SERVICES, processMetricsPrefix, SERVICE_METRICS } from '@lexy/server-metrics';
import { postJson } from './support/accounts.js';
import {
  api,
  download,
  gatewayUrl,
  json,
  newFingerprint,
  patternStream,
  request,
  uploadMultipart,
} from './support/e2e.js';
import { acceptedTransfer, MiB, patternDigests, receiveInto, sendPattern } from './support/relay.js';
import type { TestSocket } from './support/sockets.js';

// Every service's /metrics, on its own metrics port, after some traffic of each kind: the
// metric names of @lexy/server-metrics' catalogue are there (the Grafana dashboard queries
// only those), with values that show the traffic, and no path, code or id in any label.

const platformEnv = () => JSON.parse(process.env['E2E_PLATFORM_ENV'] ?? '{}') as Record<string, string>;
const METRICS_PORT_VARIABLE: Record<(typeof METRIC_SERVICES)[number], string> = {
  gateway: 'GATEWAY_METRICS_PORT',
  auth: 'AUTH_METRICS_PORT',
  files: 'FILES_METRICS_PORT',
  quotas: 'QUOTAS_METRICS_PORT',
  relay: 'RELAY_METRICS_PORT',
  cleanup: 'CLEANUP_METRICS_PORT',
};
const metricsUrl = (service: (typeof METRIC_SERVICES)[number]) =>
  `http://127.0.0.1:${platformEnv()[METRICS_PORT_VARIABLE[service]]}/metrics`;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition. */
function samplesOf(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of the samples of `name` whose labels include `labels`. */
function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter(
      (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    )
    .reduce((sum, sample) => sum + sample.value, 0);
}

const TUS = { 'tus-resumable': '1.0.0' };
const open: TestSocket[] = [];
afterAll(async () => {
  await Promise.all(open.splice(0).map((socket) => socket.close()));
});

describe('metrics of every service', () => {
  const texts: Partial<Record<(typeof METRIC_SERVICES)[number], string>> = {};
  let code: string;
  let fileId: string;
  const uploadSize = 3 * MiB;
  const tusSize = 2 * MiB;
  const relayed = 1 * MiB;

  beforeAll(async () => {
    // A direct upload, a pickup lookup (twice) and its download, a lookup of a code that does not exist.
    const uploaded = await uploadMultipart(patternStream(uploadSize, 'metrics'), {
      headers: { 'x-device-fingerprint': newFingerprint() },
    });
    expect(uploaded.status).toBe(201);
    ({ code, id: fileId } = json(uploaded)['file'] as { code: string; id: string });
    for (let i = 0; i < 2; i += 1) expect((await request('GET', api(`/files/pickup/${code}`))).status).toBe(200);
    expect((await download(api(`/files/pickup/${code}/download`))).bytes).toBe(uploadSize);
    expect((await request('GET', api('/files/pickup/ZZZZZZ'))).status).toBe(404);

    // A tus upload: creation, then one PATCH with every byte.
    const anonymous = json(await postJson('/auth/anonymous', {}));
    const owner = { authorization: `Bearer ${anonymous['accessToken']}` };
    const created = await request('POST', api('/uploads'), {
      headers: { ...TUS, ...owner, 'upload-length': String(tusSize) },
    });
    expect(created.status).toBe(201);
    const patched = await request('PATCH', new URL(String(created.headers.location), gatewayUrl()).toString(), {
      headers: { ...TUS, ...owner, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: patternStream(tusSize, 'metrics-tus'),
    });
    expect(patched.status).toBe(204);

    // A relayed transfer between two devices.
    const sizes = [relayed];
    const { sender, receiver, transferId } = await acceptedTransfer(sizes, { open });
    const received = receiveInto(receiver, transferId, sizes);
    await sendPattern(sender, transferId, { until: relayed });
    sender.send({ type: 'transfer.sent', transferId, sha256: patternDigests(sizes) });
    await receiver.next('transfer.sent', () => true, 30_000);
    expect(received.bytes).toBe(relayed);
    receiver.send({ type: 'transfer.received', transferId, ok: true });
    await sender.next('transfer.completed');

    for (const service of METRIC_SERVICES) {
      const response = await fetch(metricsUrl(service));
      expect([service, response.status]).toEqual([service, 200]);
      texts[service] = await response.text();
    }
  }, 120_000);

  it.each(METRIC_SERVICES)('%s serves the metrics the catalogue lists for it, and its process metrics', (service) => {
    const text = texts[service]!;
    const declared = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]));
    expect(SERVICE_METRICS[service].filter((name) => !declared.has(name))).toEqual([]);
    expect(declared.has(`${processMetricsPrefix(service)}process_cpu_seconds_total`)).toBe(true);
    expect(text).toMatch(/^lexy_shutdown_draining 0$/m);
  });

  it('times the gateway’s requests by route template, never by a path with a code or an id', () => {
    const samples = samplesOf(texts.gateway!);
    const requests = METRIC.httpRequestDuration + '_count';
    expect(
      total(samples, requests, { route: '/api/v1/files/pickup/:code', status_class: '2xx' }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      total(samples, requests, { route: '/api/v1/files/pickup/:code/download', method: 'GET' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      total(samples, requests, { route: '/api/v1/files/pickup/:code', status_class: '4xx' }),
    ).toBeGreaterThanOrEqual(1);
    expect(total(samples, requests, { route: '/api/v1/uploads/:id', method: 'PATCH' })).toBeGreaterThanOrEqual(1);
    const routes = new Set(
      samples.filter((sample) => sample.name === requests).map((sample) => sample.labels['route']),
    );
    for (const route of routes) expect(route).not.toMatch(/[0-9A-HJKMNP-TV-Z]{6}$|[0-9a-f]{8}-[0-9a-f]{4}/);
    expect(texts.gateway).not.toContain(code);
    expect(texts.gateway).not.toContain(fileId);
  });

  it('counts the gateway’s bytes in and out and its limiters’ decisions', () => {
    const samples = samplesOf(texts.gateway!);
    expect(total(samples, METRIC.gatewayUploadBytes, { via: 'direct' })).toBeGreaterThanOrEqual(uploadSize);
    expect(total(samples, METRIC.gatewayUploadBytes, { via: 'tus' })).toBeGreaterThanOrEqual(tusSize);
    expect(total(samples, METRIC.gatewayDownloadBytes)).toBeGreaterThanOrEqual(uploadSize);
    expect(
      total(samples, METRIC.gatewayLimiterDecisions, { limiter: 'pickup-source', decision: 'allowed' }),
    ).toBeGreaterThan(0);
    expect(
      total(samples, METRIC.gatewayLimiterDecisions, { limiter: 'traffic-quota', decision: 'allowed' }),
    ).toBeGreaterThan(0);
  });

  it('times the gRPC calls of each service by its gRPC service, method and status', () => {
    const calls = (service: string) =>
      samplesOf(texts[service as 'auth']!).filter((s) => s.name === `${METRIC.grpcServerHandling}_count`);
    expect(
      calls('files').some(
        (s) => s.labels['grpc_service'] === 'lexy.files.v1.FileService' && s.labels['grpc_code'] === 'OK',
      ),
    ).toBe(true);
    expect(calls('files').some((s) => s.labels['grpc_code'] === 'NOT_FOUND')).toBe(true);
    expect(calls('auth').some((s) => s.labels['grpc_service']?.startsWith('lexy.auth.v1.'))).toBe(true);
    expect(calls('quotas').some((s) => s.labels['grpc_service']?.startsWith('lexy.quotas.v1.'))).toBe(true);
    expect(calls('relay').some((s) => s.labels['grpc_service']?.startsWith('lexy.relay.v1.'))).toBe(true);
  });

  it('counts the relayed bytes and the relay’s sockets, and the cleanup queue’s depth', () => {
    const relay = samplesOf(texts.relay!);
    expect(total(relay, METRIC.relayRelayedBytes, { receiver: 'local' })).toBeGreaterThanOrEqual(relayed);
    expect(total(relay, METRIC.relayConnectedSockets)).toBeGreaterThanOrEqual(2);
    expect(samplesOf(texts.cleanup!).some((sample) => sample.name === METRIC.cleanupQueueJobs)).toBe(true);
  });

  it('serves no metrics on the gateway’s public port', async () => {
    expect((await request('GET', api('/metrics'))).status).toBe(404);
    const root = await request('GET', `${gatewayUrl()}/metrics`);
    expect(root.body.toString('utf8')).not.toContain(METRIC.httpRequestDuration);
  });
});

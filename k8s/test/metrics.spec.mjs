// Every app can be scraped, the same way: a container port named `metrics` that its
// *_METRICS_PORT names, the prometheus.io pod annotations, a Service port named `metrics`, and a
// NetworkPolicy that lets the monitoring namespace reach that port and nothing else of the app.
// The relay, which runs in the gateway's pods (ADR 0011), has its own port there, `relay-metrics`,
// offered and annotated by the Service relay (a pod's annotations name one port only).
// The checks are run on the rendered base, and on copies of it with one fault each.
import { join } from 'node:path';
import { checkFolder } from '../../tools/k8s/check.mjs';
import { loadAppConfig, fakeSecret } from '../../tools/k8s/app-config.mjs';
import { APPS, GRPC_APPS, METRICS_PORT_NAME, metricsVariable, policyProblems, RELAY } from '../../tools/k8s/policy.mjs';
import { render } from '../../tools/k8s/render.mjs';
import { containerEnvironment, named, ofKind, podSpecOf } from '../../tools/k8s/workloads.mjs';

const BASE = join(import.meta.dirname, '../base');
const RENAMED = join(import.meta.dirname, 'fixtures/monitoring-renamed');

/** The metrics ports of docs/operations.md (and the apps' defaults). */
const METRICS_PORTS = { gateway: 9465, auth: 9466, files: 9467, quotas: 9468, relay: 9469, cleanup: 9464 };

const base = render(BASE);
/** A copy of the base's objects to break. */
const copy = () => structuredClone(base);
const container = (objects, app) => podSpecOf(named(objects, 'Deployment', app)).containers[0];
const configMap = (objects, prefix) =>
  ofKind(objects, 'ConfigMap').find((map) => map.metadata.name.startsWith(`${prefix}-`));
const monitoringRule = (objects) => named(objects, 'NetworkPolicy', 'monitoring').spec.ingress[0];

/** A NetworkPolicy that lets the monitoring namespace reach `ports` of an app's pods. */
const fromMonitoring = (name, app, ports) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name },
  spec: {
    podSelector: { matchLabels: { 'app.kubernetes.io/name': app } },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
        ...(ports && { ports }),
      },
    ],
  },
});

describe('the base', () => {
  it('passes every rule', () => {
    expect(policyProblems(base)).toEqual([]);
  });

  it.each(APPS)('gives %s a metrics port that its own config listens on, annotated and offered', async (app) => {
    const port = METRICS_PORTS[app];
    expect(container(base, app).ports).toContainEqual({ name: METRICS_PORT_NAME, containerPort: port });
    const env = containerEnvironment(base, container(base, app), {
      secretValue: (_name, key, optional) => (optional ? undefined : fakeSecret(key)),
      fieldValue: () => '10.1.2.3',
    });
    expect(configMap(base, `${app}-env`).data[metricsVariable(app)]).toBe(String(port));
    expect((await loadAppConfig(app, env))[metricsVariable(app)]).toBe(port);
    // The same as the app's own default, which the README and the launcher list.
    delete env[metricsVariable(app)];
    expect((await loadAppConfig(app, env))[metricsVariable(app)]).toBe(port);
    expect(named(base, 'Deployment', app).spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(port),
      'prometheus.io/path': '/metrics',
    });
    expect(named(base, 'Service', app).spec.ports).toContainEqual({ name: 'metrics', port, targetPort: 'metrics' });
  });

  it('gives the gateway’s pods the metrics port of the relay they run, which its config listens on', async () => {
    const port = METRICS_PORTS.relay;
    expect(APPS).not.toContain('relay');
    expect(container(base, 'gateway').ports).toContainEqual({ name: RELAY.ports.metrics, containerPort: port });
    expect(configMap(base, 'relay-env').data.RELAY_METRICS_PORT).toBe(String(port));
    const env = containerEnvironment(base, container(base, 'gateway'), {
      secretValue: (_name, key, optional) => (optional ? undefined : fakeSecret(key)),
      fieldValue: () => '10.1.2.3',
    });
    expect((await loadAppConfig('relay', env)).RELAY_METRICS_PORT).toBe(port);
    // The pods' annotations stay the gateway's; the Service relay carries the relay's.
    const relay = named(base, 'Service', 'relay');
    expect(relay.spec.selector).toEqual({ 'app.kubernetes.io/name': 'gateway' });
    expect(relay.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(port),
      'prometheus.io/path': '/metrics',
    });
    expect(relay.spec.ports).toContainEqual({ name: 'metrics', port, targetPort: RELAY.ports.metrics });
    expect(monitoringRule(base).ports).toEqual([
      { protocol: 'TCP', port: METRICS_PORT_NAME },
      { protocol: 'TCP', port: RELAY.ports.metrics },
    ]);
    // No other Service is annotated: each pod is scraped once per port.
    const annotated = ofKind(base, 'Service').filter(
      (service) => service.metadata.annotations?.['prometheus.io/scrape'],
    );
    expect(annotated.map((service) => service.metadata.name)).toEqual(['relay']);
  });

  it('probes the gRPC services’ readiness over gRPC and their liveness on the metrics port', () => {
    for (const app of GRPC_APPS) {
      const { readinessProbe, livenessProbe } = container(base, app);
      expect([app, readinessProbe.grpc]).toEqual([app, { port: expect.any(Number) }]);
      expect([app, livenessProbe.httpGet]).toEqual([app, { path: '/health', port: 'metrics' }]);
    }
  });
});

describe('the network rules', () => {
  it('report a policy that opens a gRPC port to the monitoring namespace', () => {
    const objects = copy();
    objects.push(fromMonitoring('scrape-auth-grpc', 'auth', [{ protocol: 'TCP', port: 50051 }]));
    expect(policyProblems(objects)).toEqual([
      'NetworkPolicy/scrape-auth-grpc: lets traffic from outside the namespace reach Deployment/auth on port 50051 (only port 9466 may be reached from there)',
    ]);
  });

  it('report the shared monitoring policy once it names a gRPC port too, on every app that has it', () => {
    const objects = copy();
    monitoringRule(objects).ports.push({ protocol: 'TCP', port: 'grpc' });
    const problems = policyProblems(objects);
    expect(problems).toEqual(
      GRPC_APPS.map((app) =>
        expect.stringMatching(
          new RegExp(
            `^NetworkPolicy/monitoring: lets traffic from outside the namespace reach Deployment/${app} on port 5005\\d `,
          ),
        ),
      ),
    );
  });

  it('report a policy that opens every port, or a range, to another namespace', () => {
    const objects = copy();
    objects.push(fromMonitoring('scrape-files-anything', 'files', undefined));
    objects.push(fromMonitoring('scrape-quotas-range', 'quotas', [{ protocol: 'TCP', port: 9468, endPort: 9470 }]));
    expect(policyProblems(objects)).toEqual([
      'NetworkPolicy/scrape-files-anything: lets traffic from outside the namespace reach Deployment/files on every port (only port 9467 may be reached from there)',
      'NetworkPolicy/scrape-quotas-range: lets traffic from outside the namespace reach Deployment/quotas on ports 9468-9470 (only port 9468 may be reached from there)',
    ]);
  });

  it('let the gateway take its public port and the two metrics ports from outside, and nothing else', () => {
    const objects = copy();
    objects.push(
      fromMonitoring('gateway-metrics-by-number', 'gateway', [
        { protocol: 'TCP', port: 9465 },
        { protocol: 'TCP', port: 9469 },
      ]),
    );
    expect(policyProblems(objects)).toEqual([]);
    named(objects, 'NetworkPolicy', 'gateway').spec.ingress[0].ports.push({ protocol: 'TCP', port: 9000 });
    expect(policyProblems(objects)).toEqual([
      'NetworkPolicy/gateway: lets traffic from outside the namespace reach Deployment/gateway on port 9000 (only port 9465 and port 9469 and port 8080 may be reached from there)',
    ]);
  });

  it('report a policy that opens the relay’s gRPC or peer port on the gateway’s pods to another namespace', () => {
    const objects = copy();
    objects.push(
      fromMonitoring('scrape-relay-wrongly', 'gateway', [
        { protocol: 'TCP', port: 'relay-grpc' },
        { protocol: 'TCP', port: 50056 },
      ]),
    );
    expect(policyProblems(objects)).toEqual([
      'NetworkPolicy/scrape-relay-wrongly: lets traffic from outside the namespace reach Deployment/gateway on port 50054 (only port 9465 and port 9469 and port 8080 may be reached from there)',
      'NetworkPolicy/scrape-relay-wrongly: lets traffic from outside the namespace reach Deployment/gateway on port 50056 (only port 9465 and port 9469 and port 8080 may be reached from there)',
    ]);
  });

  it('read the allowed port from the container port named metrics, not a fixed number', () => {
    // The old rule let 9464 through for the cleanup worker whatever its metrics port was.
    const objects = copy();
    container(objects, 'cleanup').ports = [{ name: 'metrics', containerPort: 9500 }];
    configMap(objects, 'cleanup-env').data.CLEANUP_METRICS_PORT = '9500';
    named(objects, 'Deployment', 'cleanup').spec.template.metadata.annotations['prometheus.io/port'] = '9500';
    objects.push(fromMonitoring('old-cleanup', 'cleanup', [{ protocol: 'TCP', port: 9464 }]));
    expect(policyProblems(objects)).toEqual([
      'NetworkPolicy/old-cleanup: lets traffic from outside the namespace reach Deployment/cleanup on port 9464 (only port 9500 may be reached from there)',
    ]);
  });

  it('report every app that Prometheus cannot reach once the monitoring policy is gone', () => {
    const objects = copy().filter(
      (object) => !(object.kind === 'NetworkPolicy' && object.metadata.name === 'monitoring'),
    );
    expect(policyProblems(objects).sort()).toEqual(
      [
        ...APPS.map(
          (app) =>
            `Deployment/${app}: no NetworkPolicy lets Prometheus (another namespace) reach its metrics port ${METRICS_PORTS[app]}`,
        ),
        "Deployment/gateway: no NetworkPolicy lets Prometheus (another namespace) reach the relay's metrics port 9469",
      ].sort(),
    );
  });

  it('report the relay’s metrics port once the monitoring policy names only `metrics`', () => {
    const objects = copy();
    monitoringRule(objects).ports = [{ protocol: 'TCP', port: METRICS_PORT_NAME }];
    expect(policyProblems(objects)).toEqual([
      "Deployment/gateway: no NetworkPolicy lets Prometheus (another namespace) reach the relay's metrics port 9469",
    ]);
  });
});

describe('the scraping rules', () => {
  it('report a Deployment without a metrics port', () => {
    const objects = copy();
    const files = container(objects, 'files');
    files.ports = files.ports.filter((port) => port.name !== 'metrics');
    const problems = policyProblems(objects);
    expect(problems).toContain('Deployment/files: no container port named metrics (Prometheus scrapes /metrics there)');
    // Its liveness probe and its Service's metrics port point at nothing either.
    expect(problems).toContain('Deployment/files files: livenessProbe must GET /health on the metrics port');
    expect(problems).toContain("Service/files: targetPort metrics is none of Deployment/files's ports");
  });

  it('report a *_METRICS_PORT that differs from the metrics port, or is left to the default', () => {
    const objects = copy();
    configMap(objects, 'quotas-env').data.QUOTAS_METRICS_PORT = '9999';
    delete configMap(objects, 'cleanup-env').data.CLEANUP_METRICS_PORT;
    delete configMap(objects, 'relay-env').data.RELAY_METRICS_PORT;
    expect(policyProblems(objects)).toEqual([
      'Deployment/cleanup: CLEANUP_METRICS_PORT is not set (its metrics port is 9464)',
      'Deployment/gateway: RELAY_METRICS_PORT is not set, but its container port named relay-metrics is 9469',
      'Deployment/quotas: QUOTAS_METRICS_PORT is 9999, but its container port named metrics is 9468',
    ]);
  });

  it('report missing or wrong prometheus.io annotations', () => {
    const objects = copy();
    delete named(objects, 'Deployment', 'auth').spec.template.metadata.annotations;
    named(objects, 'Deployment', 'gateway').spec.template.metadata.annotations['prometheus.io/port'] = '8080';
    expect(policyProblems(objects)).toEqual([
      'Deployment/auth: pod annotation prometheus.io/scrape must be "true"',
      'Deployment/auth: pod annotation prometheus.io/port must be "9466"',
      'Deployment/auth: pod annotation prometheus.io/path must be "/metrics"',
      'Deployment/gateway: pod annotation prometheus.io/port must be "9465"',
    ]);
  });

  it('report a Service without a port named metrics', () => {
    const objects = copy();
    const service = named(objects, 'Service', 'files');
    service.spec.ports = service.spec.ports.filter((port) => port.name !== 'metrics');
    expect(policyProblems(objects)).toEqual([
      'Deployment/files: no Service has a port named metrics onto its port 9467',
    ]);
  });

  it('report the relay’s metrics without a Service port, or without the Service’s annotations', () => {
    const objects = copy();
    const service = named(objects, 'Service', 'relay');
    service.metadata.annotations['prometheus.io/port'] = '9465';
    expect(policyProblems(objects)).toEqual([
      `Service/relay: annotation prometheus.io/port must be "9469" (the relay's metrics on Deployment/gateway)`,
    ]);
    service.spec.ports = service.spec.ports.filter((port) => port.name !== 'metrics');
    expect(policyProblems(objects)).toEqual([
      "Deployment/gateway: no Service has a port named metrics onto the relay's metrics port 9469",
    ]);
    container(objects, 'gateway').ports = container(objects, 'gateway').ports.filter(
      (port) => port.name !== RELAY.ports.metrics,
    );
    expect(policyProblems(objects)).toEqual([
      'Deployment/gateway: no container port named relay-metrics (the relay it runs serves /metrics there)',
    ]);
  });

  it('report a gRPC service whose liveness went back to the gRPC health check', () => {
    const objects = copy();
    container(objects, 'quotas').livenessProbe = { grpc: { port: 50053 }, periodSeconds: 20 };
    expect(policyProblems(objects)).toEqual([
      'Deployment/quotas quotas: livenessProbe must GET /health on the metrics port',
    ]);
  });
});

describe('an overlay that renames the monitoring namespace', () => {
  it('passes the checks, and only the new namespace may scrape', async () => {
    const { objects, problems } = await checkFolder(RENAMED);
    expect(problems).toEqual([]);
    expect(monitoringRule(objects).from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } },
    ]);
  });
});

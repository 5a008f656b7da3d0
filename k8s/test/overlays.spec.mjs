// Every overlay renders with a real kustomize, and every object it yields passes the Kubernetes
// API schemas (kubernetes-models, offline) and the project's rules (tools/k8s/policy.mjs).
import { join } from 'node:path';
import { checkFolder, isProduction, overlays } from '../../tools/k8s/check.mjs';
import { render } from '../../tools/k8s/render.mjs';
import { containersOf, named, ofKind, podSpecOf } from '../../tools/k8s/workloads.mjs';

const BASE = join(import.meta.dirname, '../base');
const rendered = new Map();
async function renderedOverlay(name) {
  if (!rendered.has(name))
    rendered.set(name, await checkFolder(overlays().find((overlay) => overlay.name === name).folder));
  return rendered.get(name);
}

describe('overlays', () => {
  it('are dev and prod', () => {
    expect(
      overlays()
        .map((overlay) => overlay.name)
        .sort(),
    ).toEqual(['dev', 'prod']);
    expect(
      overlays()
        .filter((overlay) => isProduction(overlay.folder))
        .map((overlay) => overlay.name),
    ).toEqual(['prod']);
  });

  describe.each(['dev', 'prod'])('%s', (name) => {
    it('renders objects that pass the schemas and the rules', async () => {
      const { objects, problems } = await renderedOverlay(name);
      expect(problems).toEqual([]);
      const kinds = new Set(objects.map((object) => object.kind));
      for (const kind of [
        'Namespace',
        'Deployment',
        'Service',
        'ServiceAccount',
        'ConfigMap',
        'Job',
        'PodDisruptionBudget',
        'HorizontalPodAutoscaler',
        'NetworkPolicy',
        'Ingress',
      ]) {
        expect(kinds).toContain(kind);
      }
    });

    it('puts everything in its namespace', async () => {
      const { objects } = await renderedOverlay(name);
      const namespace = ofKind(objects, 'Namespace')[0].metadata.name;
      expect(namespace).toBe(name === 'prod' ? 'lexy' : 'lexy-dev');
      for (const object of objects.filter((candidate) => candidate.kind !== 'Namespace')) {
        expect([object.kind, object.metadata.namespace]).toEqual([object.kind, namespace]);
      }
    });

    it('lets a release apply the namespace, the settings and the migration Job before the rest', async () => {
      const { objects } = await renderedOverlay(name);
      // kubectl apply -k <overlay> -l 'app.kubernetes.io/component in (namespace,config,migration)'
      const first = objects.filter((object) =>
        ['namespace', 'config', 'migration'].includes(object.metadata.labels?.['app.kubernetes.io/component']),
      );
      const has = (kind, objectName) =>
        first.some((object) => object.kind === kind && object.metadata.name === objectName);
      const job = named(objects, 'Job', 'lexy-migrate');
      expect(has('Job', 'lexy-migrate')).toBe(true);
      expect(has('ServiceAccount', podSpecOf(job).serviceAccountName)).toBe(true);
      expect(first.some((object) => object.kind === 'Namespace')).toBe(true);
      for (const container of containersOf(podSpecOf(job))) {
        for (const source of container.envFrom) expect(has('ConfigMap', source.configMapRef.name)).toBe(true);
      }
      expect(first.filter((object) => ['Deployment', 'Service', 'Ingress'].includes(object.kind))).toEqual([]);
    });

    it('holds no Secret and references the Secrets by name only', async () => {
      const { objects } = await renderedOverlay(name);
      expect(ofKind(objects, 'Secret')).toEqual([]);
    });
  });

  it('size dev small and prod for load', async () => {
    const dev = (await renderedOverlay('dev')).objects;
    const prod = (await renderedOverlay('prod')).objects;
    const replicas = (objects, app) => named(objects, 'Deployment', app).spec.replicas;
    const bounds = (objects, app) => {
      const hpa = named(objects, 'HorizontalPodAutoscaler', app);
      return [hpa.spec.minReplicas, hpa.spec.maxReplicas];
    };
    for (const app of ['auth', 'files', 'quotas', 'cleanup']) expect(replicas(dev, app)).toBe(1);
    for (const app of ['auth', 'files', 'quotas']) expect(replicas(prod, app)).toBe(3);
    // The gateway's HPA scales the relay too: its pods run it (ADR 0011).
    expect(bounds(dev, 'gateway')).toEqual([1, 2]);
    expect(bounds(prod, 'gateway')).toEqual([3, 20]);
    for (const objects of [dev, prod]) {
      expect(ofKind(objects, 'HorizontalPodAutoscaler').map((hpa) => hpa.metadata.name)).toEqual(['gateway']);
      expect(named(objects, 'Deployment', 'relay')).toBeUndefined();
    }
    const gatewayResources = (objects) => podSpecOf(named(objects, 'Deployment', 'gateway')).containers[0].resources;
    // Room for two processes: the gateway's former figures and the relay's some 160-190 MB RSS.
    expect(gatewayResources(prod)).toEqual({
      requests: { cpu: '1', memory: '640Mi' },
      limits: { cpu: '3', memory: '1536Mi' },
    });
    expect(gatewayResources(render(BASE))).toEqual({
      requests: { cpu: '500m', memory: '448Mi' },
      limits: { cpu: '2', memory: '1Gi' },
    });
    expect(gatewayResources(dev).requests).toEqual({ cpu: '25m', memory: '96Mi' });
  });

  it('give each environment its host, its images and its settings', async () => {
    const dev = (await renderedOverlay('dev')).objects;
    const prod = (await renderedOverlay('prod')).objects;
    const hosts = (objects) => ofKind(objects, 'Ingress').map((ingress) => ingress.spec.rules[0].host);
    expect(hosts(dev)).toEqual(['files.dev.example.org', 'files.dev.example.org']);
    expect(hosts(prod)).toEqual(['files.example.org', 'files.example.org']);
    const image = (objects) => podSpecOf(named(objects, 'Deployment', 'quotas')).containers[0].image;
    expect(image(dev)).toBe('registry.example.org/lexy/quotas:dev');
    expect(image(prod)).toBe('registry.example.org/lexy/quotas:0.1.0');
    // The relay's migration runs from the gateway's image, which carries the relay.
    const relayMigration = (objects) =>
      containersOf(podSpecOf(named(objects, 'Job', 'lexy-migrate'))).find(
        (container) => container.name === 'migrate-relay',
      );
    expect(relayMigration(dev).image).toBe('registry.example.org/lexy/gateway:dev');
    expect(relayMigration(prod).image).toBe('registry.example.org/lexy/gateway:0.1.0');
    // No workload uses the relay's own image.
    const images = (objects) =>
      [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'Job')].flatMap((workload) =>
        containersOf(podSpecOf(workload)).map((container) => container.image),
      );
    expect([...images(dev), ...images(prod)].filter((name) => name.includes('/relay:'))).toEqual([]);
    const platform = (objects) =>
      ofKind(objects, 'ConfigMap').find((map) => map.metadata.name.startsWith('lexy-platform-')).data;
    expect(platform(dev).LOG_LEVEL).toBe('debug');
    expect(platform(prod).LOG_LEVEL).toBe('info');
  });

  it('route /ws with hour-long timeouts and everything else to the gateway', async () => {
    const { objects } = await renderedOverlay('prod');
    const ws = named(objects, 'Ingress', 'lexy-ws');
    expect(ws.metadata.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout']).toBe('3600');
    expect(ws.metadata.annotations['nginx.ingress.kubernetes.io/proxy-send-timeout']).toBe('3600');
    expect(ws.spec.rules[0].http.paths.map((path) => [path.path, path.backend.service.name])).toEqual([
      ['/ws', 'gateway'],
    ]);
    const main = named(objects, 'Ingress', 'lexy');
    expect(main.spec.rules[0].http.paths.map((path) => path.path).sort()).toEqual(['/', '/api']);
  });

  it('give the relay of each gateway pod its own peer and gRPC address', async () => {
    const { objects } = await renderedOverlay('prod');
    const env = podSpecOf(named(objects, 'Deployment', 'gateway')).containers[0].env;
    const names = env.map((variable) => variable.name);
    expect(env.find((variable) => variable.name === 'POD_IP').valueFrom.fieldRef.fieldPath).toBe('status.podIP');
    expect(env.find((variable) => variable.name === 'RELAY_PEER_URL').value).toBe('ws://$(POD_IP):50056');
    expect(env.find((variable) => variable.name === 'RELAY_GRPC_ADDRESS').value).toBe('$(POD_IP):50054');
    // The kubelet expands $(POD_IP) only from variables listed before.
    expect(names.indexOf('POD_IP')).toBeLessThan(names.indexOf('RELAY_PEER_URL'));
    expect(names.indexOf('POD_IP')).toBeLessThan(names.indexOf('RELAY_GRPC_ADDRESS'));
  });

  it('spread the gateway’s pods, with their relays, over zones in prod', async () => {
    const { objects } = await renderedOverlay('prod');
    const spread = podSpecOf(named(objects, 'Deployment', 'gateway')).topologySpreadConstraints;
    expect(spread.map((constraint) => constraint.topologyKey)).toEqual([
      'kubernetes.io/hostname',
      'topology.kubernetes.io/zone',
    ]);
  });
});

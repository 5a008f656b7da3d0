// The relay runs in the gateway's pods, as the gateway's child process (ADR 0011): no relay
// Deployment, the Service relay onto the gateway's pods, the relay's settings, ports and network
// rules there, its migration from the gateway's image. The checks are run on the rendered base,
// and on copies of it with one fault each.
import { join } from 'node:path';
import { policyProblems, RELAY } from '../../tools/k8s/policy.mjs';
import { render } from '../../tools/k8s/render.mjs';
import { named, ofKind, podLabelsOf, podSpecOf, selects } from '../../tools/k8s/workloads.mjs';

const base = render(join(import.meta.dirname, '../base'));
const copy = () => structuredClone(base);
const gateway = (objects) => podSpecOf(named(objects, 'Deployment', 'gateway')).containers[0];
const configMap = (objects, prefix) =>
  ofKind(objects, 'ConfigMap').find((map) => map.metadata.name.startsWith(`${prefix}-`));
const variable = (objects, name) => gateway(objects).env.find((candidate) => candidate.name === name);
/** The relay's migration container itself (containersOf gives copies). */
const relayMigration = (objects) => {
  const pod = podSpecOf(named(objects, 'Job', 'lexy-migrate'));
  return [...(pod.initContainers ?? []), ...pod.containers].find((container) => container.name === 'migrate-relay');
};

describe('the base', () => {
  it('has no relay Deployment, autoscaler, budget or service account: the gateway’s pods run it', () => {
    for (const kind of ['Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ServiceAccount'])
      expect([kind, named(base, kind, 'relay')]).toEqual([kind, undefined]);
    const service = named(base, 'Service', 'relay');
    expect(selects(service.spec.selector, podLabelsOf(named(base, 'Deployment', 'gateway')))).toBe(true);
    expect(service.spec.ports).toEqual([
      { name: 'grpc', port: 50054, targetPort: RELAY.ports.grpc, appProtocol: 'grpc' },
      { name: 'metrics', port: 9469, targetPort: RELAY.ports.metrics },
    ]);
  });

  it('gives the gateway’s container the relay’s settings, ports and database account', () => {
    const names = gateway(base).envFrom.map((source) => source.configMapRef.name.replace(/-[a-z0-9]+$/, ''));
    // The gateway's own settings last: they win where both name a variable.
    expect(names).toEqual(['lexy-platform', 'relay-env', 'gateway-env']);
    expect(gateway(base).ports).toEqual([
      { name: 'http', containerPort: 8080 },
      { name: 'metrics', containerPort: 9465 },
      { name: 'relay-grpc', containerPort: 50054 },
      { name: 'relay-peer', containerPort: 50056 },
      { name: 'relay-metrics', containerPort: 9469 },
    ]);
    expect(variable(base, 'MYSQL_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'lexy-mysql', key: 'password' });
    expect(configMap(base, 'gateway-env').data.RELAY_WS_ADDRESS).toBeUndefined();
  });

  it('leaves room in the gateway’s pods for two processes and both drains', () => {
    const pod = podSpecOf(named(base, 'Deployment', 'gateway'));
    // Both drain side by side within SHUTDOWN_GRACE_SECONDS (25 by default), then the gateway ends.
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(2 * 25);
    const memory = pod.containers[0].resources.requests.memory;
    expect(Number(memory.replace(/Mi$/, ''))).toBeGreaterThanOrEqual(256 + 160);
  });

  it('lets the gateways and the cleanup worker reach the relay’s gRPC, and the gateways its peer port', () => {
    const policy = named(base, 'NetworkPolicy', 'relay');
    expect(policy.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'gateway' } });
    const rules = policy.spec.ingress.map((rule) => [
      rule.from.map((peer) => peer.podSelector.matchLabels['app.kubernetes.io/name']),
      rule.ports.map((port) => port.port),
    ]);
    expect(rules).toEqual([
      [['gateway', 'cleanup'], [50054]],
      [['gateway'], [50056]],
    ]);
    // No policy names relay pods any more.
    for (const other of ofKind(base, 'NetworkPolicy')) {
      const peers = (other.spec.ingress ?? []).flatMap((rule) => rule.from ?? []);
      expect([
        other.metadata.name,
        peers.some((peer) => peer.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'relay'),
      ]).toEqual([other.metadata.name, false]);
    }
  });

  it('migrates the relay’s database from the gateway’s image with the relay’s settings and secrets only', () => {
    const migration = relayMigration(base);
    expect(migration.image).toBe(gateway(base).image);
    expect(migration.envFrom.map((source) => source.configMapRef.name.replace(/-[a-z0-9]+$/, ''))).toEqual([
      'lexy-platform',
      'relay-env',
    ]);
    const secrets = migration.env.map((candidate) => candidate.name).sort();
    expect(secrets).toEqual(['INTERNAL_CALLER_SECRET', 'MYSQL_PASSWORD', 'MYSQL_USER', 'REDIS_URL']);
  });
});

describe('the rules', () => {
  it('pass the base', () => {
    expect(policyProblems(base)).toEqual([]);
  });

  it('report a gateway that would pipe /ws to a relay elsewhere', () => {
    const objects = copy();
    configMap(objects, 'gateway-env').data.RELAY_WS_ADDRESS = 'relay:50055';
    expect(policyProblems(objects)).toEqual([
      'Deployment/gateway: RELAY_WS_ADDRESS is set (relay:50055): the gateway would pipe /ws to a relay elsewhere instead of handing the sockets to the relay it runs',
      'Deployment/gateway: RELAY_WS_ADDRESS names relay:50055, which no Service offers',
    ]);
  });

  it('report a relay gRPC address the pod cannot listen on, or one left to the default', () => {
    const objects = copy();
    variable(objects, 'RELAY_GRPC_ADDRESS').value = 'relay:50054';
    expect(policyProblems(objects)).toEqual([
      "Deployment/gateway: RELAY_GRPC_ADDRESS is relay:50054, but the relay this pod runs listens there: it must be the pod's address, $(POD_IP) from status.podIP",
    ]);
    gateway(objects).env = gateway(objects).env.filter((candidate) => candidate.name !== 'RELAY_GRPC_ADDRESS');
    expect(policyProblems(objects)).toEqual([
      "Deployment/gateway: RELAY_GRPC_ADDRESS is not set, but the relay this pod runs listens there: it must be the pod's address, $(POD_IP) from status.podIP",
    ]);
  });

  it('report a peer address that is not the pod’s own', () => {
    const objects = copy();
    variable(objects, 'RELAY_PEER_URL').value = 'ws://relay:50056';
    expect(policyProblems(objects)).toEqual([
      "Deployment/gateway: RELAY_PEER_URL is ws://relay:50056: each pod's relay must announce its own address, ws://$(POD_IP):50056",
    ]);
  });

  it('report the relay’s gRPC or peer port missing from the container', () => {
    const objects = copy();
    gateway(objects).ports = gateway(objects).ports.filter((port) => port.name !== RELAY.ports.peer);
    expect(policyProblems(objects)).toEqual([
      "Deployment/gateway: no container port relay-peer onto the relay's peer port 50056",
    ]);
    const changed = copy();
    gateway(changed).ports.find((port) => port.name === RELAY.ports.grpc).containerPort = 50060;
    // The Service relay then sends the cleanup worker's calls to a port no policy opens, either.
    expect(policyProblems(changed)).toEqual([
      "Deployment/gateway: no container port relay-grpc onto the relay's grpc port 50054",
      'Deployment/cleanup: no NetworkPolicy lets it reach Deployment/gateway port 50060 (RELAY_GRPC_ADDRESS)',
    ]);
  });

  it('report the Service relay gone, or selecting other pods', () => {
    const gone = copy().filter((object) => !(object.kind === 'Service' && object.metadata.name === 'relay'));
    expect(policyProblems(gone)).toEqual([
      'Service/relay: missing (the gateways and the cleanup worker call the relay there)',
      'Deployment/cleanup: RELAY_GRPC_ADDRESS names relay:50054, which no Service offers',
      "Deployment/gateway: no Service has a port named metrics onto the relay's metrics port 9469",
    ]);
    const elsewhere = copy();
    named(elsewhere, 'Service', 'relay').spec.selector = { 'app.kubernetes.io/name': 'files' };
    expect(policyProblems(elsewhere)).toEqual(
      expect.arrayContaining(["Service/relay: must select Deployment/gateway's pods, which run the relay"]),
    );
  });

  it('report the cleanup worker cut off from the relay’s gRPC', () => {
    const objects = copy();
    named(objects, 'NetworkPolicy', 'relay').spec.ingress[0].from.pop();
    expect(policyProblems(objects)).toEqual([
      'Deployment/cleanup: no NetworkPolicy lets it reach Deployment/gateway port 50054 (RELAY_GRPC_ADDRESS)',
    ]);
  });

  it('report a relay migration with the gateway’s own settings, a secret the gateway lacks, or another image', () => {
    const settings = copy();
    relayMigration(settings).envFrom.push({ configMapRef: { name: gateway(settings).envFrom[2].configMapRef.name } });
    const secret = copy();
    relayMigration(secret).env.push({
      name: 'AUTH_JWT_SECRET',
      valueFrom: { secretKeyRef: { name: 'lexy-auth', key: 'jwt-secret' } },
    });
    const image = copy();
    relayMigration(image).image = 'registry.example.org/lexy/relay:latest';
    const message = (text) => [`Job/lexy-migrate migrate-relay: ${text}`];
    expect(policyProblems(settings)).toEqual(message("envFrom differs from Deployment/gateway's (less gateway-env)"));
    expect(policyProblems(secret)).toEqual(message("its secrets differ from Deployment/gateway's"));
    expect(policyProblems(image)).toEqual(message("image differs from Deployment/gateway's"));
  });
});

// The project's own rules for its rendered manifests, beyond what the API schemas check: what
// docs/operations.md promises about security, probes, scaling and the network. Each rule returns
// messages naming the object at fault; an empty list is a pass.
import {
  containerEnvironment,
  containerPortNumber,
  containersOf,
  named,
  ofKind,
  podLabelsOf,
  podSpecOf,
  selects,
  workloadSelectedBy,
  workloads,
} from './workloads.mjs';
import { allowed, describePorts, fromOutside, ingressRulesFor, mainContainer, openedPorts } from './network.mjs';
import { describe } from './schema.mjs';

/** The apps with a Deployment of their own, by what their probes speak. */
export const GRPC_APPS = ['auth', 'files', 'quotas'];
export const HTTP_APPS = ['gateway', 'cleanup'];
export const APPS = [...GRPC_APPS, ...HTTP_APPS];
/**
 * The relay has no Deployment: the gateway runs it as its child process (ADR 0011), so the
 * gateway's pods are its replicas. It reads its settings from the gateway's environment, listens
 * on its own ports in those pods (named here), and the Service `relay` selects them.
 */
export const RELAY = {
  app: 'relay',
  host: 'gateway',
  service: 'relay',
  ports: { grpc: 'relay-grpc', peer: 'relay-peer', metrics: 'relay-metrics' },
};
/** The apps that scale on load; their replica count belongs to a HorizontalPodAutoscaler. */
export const AUTOSCALED_APPS = ['gateway'];
/** The migration one-shot runs these services' migrate scripts. */
export const MIGRATED_APPS = ['auth', 'quotas', 'files', 'relay'];
/** The app whose Deployment runs an app's code: its own, the relay's is the gateway's. */
export const hostOf = (app) => (app === RELAY.app ? RELAY.host : app);
/** The one app the public reaches, through the Ingress, on its container port of this name. */
export const PUBLIC_APP = { app: 'gateway', port: 'http' };
/** The container port every app serves /metrics and /health on; Prometheus scrapes it by this name. */
export const METRICS_PORT_NAME = 'metrics';
/** The annotations of the prometheus.io convention, each pod's, for a Prometheus that discovers pods. */
export const scrapeAnnotations = (port) => ({
  'prometheus.io/scrape': 'true',
  'prometheus.io/port': String(port),
  'prometheus.io/path': '/metrics',
});

/** Variables that hold secrets: they must come from a Secret, never from a value or a ConfigMap. */
const SECRET_VARIABLE = /SECRET|PASSWORD|PEPPER|ENCRYPTION_KEY|ACCESS_KEY|^REDIS_URL$|^MYSQL_USER$|^ADMIN_EMAIL$/;

const appOf = (workload) => podLabelsOf(workload)['app.kubernetes.io/name'];
const deployments = (objects) => ofKind(objects, 'Deployment');
/** The number of a workload's container port named `metrics`; undefined when it has none. */
export const metricsPortOf = (workload) => containerPortNumber(mainContainer(workload), METRICS_PORT_NAME);
/** The number of the relay's metrics port on a workload's pods; undefined where none runs. */
export const relayMetricsPortOf = (workload) => containerPortNumber(mainContainer(workload), RELAY.ports.metrics);
/** A stand-in for a pod's status.podIP, so that rules can tell an address taken from it. */
const POD_IP = '<pod IP>';
/** The environment a workload's main container starts with, secrets left out, the pod IP a stand-in. */
const environmentOf = (objects, workload) =>
  containerEnvironment(objects, mainContainer(workload), {
    secretValue: () => undefined,
    fieldValue: (path) => (path === 'status.podIP' ? POD_IP : undefined),
  });
/** The variable that sets an app's metrics port: AUTH_METRICS_PORT for auth. */
export const metricsVariable = (app) => `${app.toUpperCase()}_METRICS_PORT`;

function noSecretValues(objects) {
  const problems = ofKind(objects, 'Secret').map(
    (secret) => `${describe(secret)}: Secret values do not belong in the manifests`,
  );
  for (const map of ofKind(objects, 'ConfigMap')) {
    for (const key of Object.keys(map.data ?? {})) {
      if (SECRET_VARIABLE.test(key)) problems.push(`${describe(map)}: ${key} is a secret; reference a Secret instead`);
    }
  }
  for (const workload of workloads(objects)) {
    for (const container of containersOf(podSpecOf(workload))) {
      for (const variable of container.env ?? []) {
        if (SECRET_VARIABLE.test(variable.name) && !variable.valueFrom?.secretKeyRef) {
          problems.push(
            `${describe(workload)} ${container.name ?? '(unnamed container)'}: ${variable.name} must come from a secretKeyRef`,
          );
        }
      }
    }
  }
  return problems;
}

function containerHardening(workload, container) {
  const where = `${describe(workload)} ${container.name ?? '(unnamed container)'}`;
  const context = container.securityContext ?? {};
  const problems = [];
  if (context.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem must be true`);
  if (context.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation must be false`);
  if (!(context.capabilities?.drop ?? []).includes('ALL')) problems.push(`${where}: capabilities must drop ALL`);
  if (context.privileged) problems.push(`${where}: must not be privileged`);
  for (const bound of ['requests', 'limits']) {
    for (const resource of ['cpu', 'memory']) {
      if (container.resources?.[bound]?.[resource] === undefined)
        problems.push(`${where}: resources.${bound}.${resource} is missing`);
    }
  }
  const tmp = (container.volumeMounts ?? []).find((mount) => mount.mountPath === '/tmp');
  const volume = tmp && (podSpecOf(workload).volumes ?? []).find((candidate) => candidate.name === tmp.name);
  if (!volume?.emptyDir) problems.push(`${where}: /tmp must be a mounted emptyDir (the root filesystem is read-only)`);
  if (!container.image || !/(:[\w.-]+|@sha256:[0-9a-f]{64})$/.test(container.image.replace(/^[^/]*:\d+\//, ''))) {
    problems.push(`${where}: image "${container.image}" needs a tag or digest`);
  }
  return problems;
}

function podHardening(objects) {
  const problems = [];
  for (const workload of workloads(objects)) {
    const pod = podSpecOf(workload);
    const where = describe(workload);
    if (pod.securityContext?.runAsNonRoot !== true)
      problems.push(`${where}: pod securityContext.runAsNonRoot must be true`);
    if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault')
      problems.push(`${where}: seccompProfile must be RuntimeDefault`);
    if (pod.automountServiceAccountToken !== false)
      problems.push(`${where}: automountServiceAccountToken must be false`);
    if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push(`${where}: must not share the host's namespaces`);
    if (pod.serviceAccountName && !named(objects, 'ServiceAccount', pod.serviceAccountName)) {
      problems.push(`${where}: ServiceAccount ${pod.serviceAccountName} is not in the manifests`);
    }
    for (const container of containersOf(pod)) problems.push(...containerHardening(workload, container));
  }
  return problems;
}

function probePort(probe) {
  return probe?.grpc?.port ?? probe?.httpGet?.port ?? probe?.tcpSocket?.port;
}

function asksMetricsHealth(container, probe) {
  const port = containerPortNumber(container, probe.httpGet?.port);
  return (
    probe.httpGet?.path === '/health' &&
    port !== undefined &&
    port === containerPortNumber(container, METRICS_PORT_NAME)
  );
}

function probes(objects) {
  const problems = [];
  for (const deployment of deployments(objects)) {
    const app = appOf(deployment);
    for (const container of podSpecOf(deployment).containers ?? []) {
      const where = `${describe(deployment)} ${container.name ?? '(unnamed container)'}`;
      for (const kind of ['readinessProbe', 'livenessProbe']) {
        const probe = container[kind];
        if (!probe) {
          problems.push(`${where}: ${kind} is missing`);
          continue;
        }
        if (containerPortNumber(container, probePort(probe)) === undefined) {
          problems.push(`${where}: ${kind} port ${probePort(probe)} is none of the container's ports`);
        }
        // The gRPC services: readiness on grpc.health.v1 (their dependencies and the drain),
        // liveness on the metrics port's /health (the process alone); see their Deployments.
        if (GRPC_APPS.includes(app) && kind === 'readinessProbe' && !probe.grpc)
          problems.push(`${where}: ${kind} must be a grpc probe (grpc.health.v1)`);
        if (GRPC_APPS.includes(app) && kind === 'livenessProbe' && !asksMetricsHealth(container, probe))
          problems.push(`${where}: ${kind} must GET /health on the ${METRICS_PORT_NAME} port`);
        if (HTTP_APPS.includes(app) && !probe.httpGet) problems.push(`${where}: ${kind} must be an httpGet probe`);
      }
    }
  }
  return problems;
}

function services(objects) {
  const problems = [];
  for (const service of ofKind(objects, 'Service')) {
    const workload = workloadSelectedBy(objects, service.spec?.selector);
    if (!workload) {
      problems.push(`${describe(service)}: its selector picks no workload's pods`);
      continue;
    }
    const container = podSpecOf(workload).containers?.[0] ?? {};
    for (const port of service.spec?.ports ?? []) {
      if (containerPortNumber(container, port.targetPort ?? port.port) === undefined) {
        problems.push(`${describe(service)}: targetPort ${port.targetPort} is none of ${describe(workload)}'s ports`);
      }
    }
  }
  return problems;
}

function disruptionBudgets(objects) {
  return deployments(objects)
    .filter(
      (deployment) =>
        !ofKind(objects, 'PodDisruptionBudget').some((pdb) => selects(pdb.spec?.selector, podLabelsOf(deployment))),
    )
    .map((deployment) => `${describe(deployment)}: no PodDisruptionBudget selects its pods`);
}

function autoscalers(objects) {
  const problems = [];
  const hpas = ofKind(objects, 'HorizontalPodAutoscaler');
  for (const app of AUTOSCALED_APPS) {
    const hpa = hpas.find((candidate) => candidate.spec?.scaleTargetRef?.name === app);
    if (!hpa) problems.push(`Deployment/${app}: no HorizontalPodAutoscaler scales it`);
  }
  for (const hpa of hpas) {
    const target = hpa.spec?.scaleTargetRef ?? {};
    const deployment = named(objects, target.kind, target.name);
    if (!deployment)
      problems.push(`${describe(hpa)}: its target ${target.kind}/${target.name} is not in the manifests`);
    else if (deployment.spec?.replicas !== undefined) {
      problems.push(`${describe(deployment)}: has replicas although ${describe(hpa)} sets the count`);
    }
    if ((hpa.spec?.minReplicas ?? 1) > hpa.spec?.maxReplicas)
      problems.push(`${describe(hpa)}: minReplicas exceeds maxReplicas`);
  }
  return problems;
}

/** The Service name and port of a `host:port` address that names another app (not 0.0.0.0). */
function serviceAddress(address) {
  const match = /^([a-z0-9-]+)(?:\.[\w.-]+)?:(\d+)$/.exec(address ?? '');
  if (!match || match[1] === '0') return undefined;
  return { service: match[1], port: Number(match[2]) };
}

/** The pods and container port behind Service `name` port `port`. */
function backendOf(objects, name, port) {
  const service = named(objects, 'Service', name);
  const servicePort = service?.spec?.ports?.find((candidate) => candidate.port === port || candidate.name === port);
  const workload = service && workloadSelectedBy(objects, service.spec.selector);
  if (!servicePort || !workload) return undefined;
  return { workload, port: containerPortNumber(mainContainer(workload), servicePort.targetPort ?? servicePort.port) };
}

/**
 * The ports of a Deployment's pods that traffic from outside the namespace may reach: its
 * metrics port and the relay's where it runs one (Prometheus), and on the public app the port the
 * Ingress sends to.
 */
function portsOpenToOutside(deployment) {
  const ports = [metricsPortOf(deployment), relayMetricsPortOf(deployment)];
  if (appOf(deployment) === PUBLIC_APP.app) ports.push(containerPortNumber(mainContainer(deployment), PUBLIC_APP.port));
  return ports.filter((port) => port !== undefined);
}

/** The rules that let traffic from outside the namespace reach a Deployment beyond portsOpenToOutside. */
function outsideTrafficProblems(objects, deployment) {
  const open = portsOpenToOutside(deployment);
  const onlyOpen = open.length ? `only ${open.map((port) => `port ${port}`).join(' and ')}` : 'nothing';
  const problems = [];
  for (const { policy, rule } of ingressRulesFor(objects, deployment)) {
    if (!fromOutside(rule)) continue;
    const ranges = openedPorts(rule, mainContainer(deployment));
    const wrong =
      ranges === undefined
        ? [undefined]
        : ranges.filter((range) => range.from !== range.to || !open.includes(range.from));
    for (const range of wrong) {
      problems.push(
        `${describe(policy)}: lets traffic from outside the namespace reach ${describe(deployment)} on ${describePorts(range)} (${onlyOpen} may be reached from there)`,
      );
    }
  }
  return problems;
}

function network(objects) {
  const problems = [];
  const policies = ofKind(objects, 'NetworkPolicy');
  const denyAll = policies.some(
    (policy) =>
      Object.keys(policy.spec?.podSelector ?? {}).length === 0 &&
      (policy.spec?.policyTypes ?? []).includes('Ingress') &&
      !(policy.spec?.ingress ?? []).length,
  );
  if (!denyAll) problems.push('NetworkPolicy: no default deny of ingress (empty podSelector, no ingress rules)');

  // From outside the namespace: the gateway's public port, and Prometheus to each metrics port.
  for (const deployment of deployments(objects)) problems.push(...outsideTrafficProblems(objects, deployment));

  // Every call one app makes to another, as its environment names it, must be allowed.
  for (const deployment of deployments(objects)) {
    const env = environmentOf(objects, deployment);
    const calls = Object.entries(env)
      .filter(([name]) => /_GRPC_ADDRESS$|^RELAY_WS_ADDRESS$/.test(name))
      .map(([name, value]) => ({ name, target: serviceAddress(value) }))
      .filter(({ target }) => target);
    for (const { name, target } of calls) {
      const backend = backendOf(objects, target.service, target.port);
      if (!backend) {
        problems.push(
          `${describe(deployment)}: ${name} names ${target.service}:${target.port}, which no Service offers`,
        );
      } else if (!allowed(objects, backend.workload, backend.port, podLabelsOf(deployment))) {
        problems.push(
          `${describe(deployment)}: no NetworkPolicy lets it reach ${describe(backend.workload)} port ${backend.port} (${name})`,
        );
      }
    }
    if (env.RELAY_PEER_PORT && !allowed(objects, deployment, Number(env.RELAY_PEER_PORT), podLabelsOf(deployment))) {
      problems.push(`${describe(deployment)}: its replicas cannot reach each other's peer port ${env.RELAY_PEER_PORT}`);
    }
  }

  // The Ingress's backends must be reachable from outside.
  for (const ingress of ofKind(objects, 'Ingress')) {
    for (const path of (ingress.spec?.rules ?? []).flatMap((rule) => rule.http?.paths ?? [])) {
      const { name, port } = path.backend?.service ?? {};
      const backend = backendOf(objects, name, port?.number ?? port?.name);
      if (!backend) problems.push(`${describe(ingress)}: ${path.path} goes to ${name}, which no Service offers`);
      else if (!allowed(objects, backend.workload, backend.port, undefined)) {
        problems.push(
          `${describe(ingress)}: no NetworkPolicy lets the ingress controller reach ${describe(backend.workload)} port ${backend.port}`,
        );
      }
    }
  }
  return problems;
}

/**
 * Every Deployment can be scraped: a container port named `metrics` that its app's
 * *_METRICS_PORT names, the prometheus.io annotations on its pods, a Service port of that name
 * (for a ServiceMonitor), and a NetworkPolicy that lets another namespace (Prometheus') reach it.
 */
function scraping(objects) {
  const problems = [];
  for (const deployment of deployments(objects)) {
    const where = describe(deployment);
    const container = mainContainer(deployment);
    const port = metricsPortOf(deployment);
    if (port === undefined) {
      problems.push(`${where}: no container port named ${METRICS_PORT_NAME} (Prometheus scrapes /metrics there)`);
      continue;
    }
    const variable = metricsVariable(appOf(deployment) ?? deployment.metadata?.name ?? '');
    const value = containerEnvironment(objects, container, { secretValue: () => undefined })[variable];
    if (value === undefined)
      problems.push(`${where}: ${variable} is not set (its ${METRICS_PORT_NAME} port is ${port})`);
    else if (Number(value) !== port)
      problems.push(`${where}: ${variable} is ${value}, but its container port named ${METRICS_PORT_NAME} is ${port}`);
    const annotations = deployment.spec?.template?.metadata?.annotations ?? {};
    for (const [key, wanted] of Object.entries(scrapeAnnotations(port))) {
      if (annotations[key] !== wanted) problems.push(`${where}: pod annotation ${key} must be "${wanted}"`);
    }
    const offered = ofKind(objects, 'Service')
      .filter((service) => selects(service.spec?.selector, podLabelsOf(deployment)))
      .some((service) =>
        (service.spec?.ports ?? []).some(
          (candidate) =>
            candidate.name === METRICS_PORT_NAME &&
            containerPortNumber(container, candidate.targetPort ?? candidate.port) === port,
        ),
      );
    if (!offered) problems.push(`${where}: no Service has a port named ${METRICS_PORT_NAME} onto its port ${port}`);
    if (!allowed(objects, deployment, port, undefined)) {
      problems.push(`${where}: no NetworkPolicy lets Prometheus (another namespace) reach its metrics port ${port}`);
    }
    problems.push(...relayScraping(objects, deployment));
  }
  return problems;
}

/**
 * The relay's metrics on the pods that run it: its own port (RELAY.ports.metrics) that
 * RELAY_METRICS_PORT names, reachable from another namespace, and offered by a Service port named
 * `metrics` on a Service that carries the prometheus.io annotations for it, since the pods'
 * annotations name their app's own port (one port per pod, the convention's limit).
 */
function relayScraping(objects, deployment) {
  if (appOf(deployment) !== RELAY.host) return [];
  const where = describe(deployment);
  const port = relayMetricsPortOf(deployment);
  if (port === undefined)
    return [`${where}: no container port named ${RELAY.ports.metrics} (the relay it runs serves /metrics there)`];
  const problems = [];
  const value = environmentOf(objects, deployment)[metricsVariable(RELAY.app)];
  if (Number(value) !== port)
    problems.push(
      `${where}: ${metricsVariable(RELAY.app)} is ${value ?? 'not set'}, but its container port named ${RELAY.ports.metrics} is ${port}`,
    );
  const offering = ofKind(objects, 'Service').filter(
    (service) =>
      selects(service.spec?.selector, podLabelsOf(deployment)) &&
      (service.spec?.ports ?? []).some(
        (candidate) =>
          candidate.name === METRICS_PORT_NAME &&
          containerPortNumber(mainContainer(deployment), candidate.targetPort ?? candidate.port) === port,
      ),
  );
  if (offering.length === 0)
    problems.push(`${where}: no Service has a port named ${METRICS_PORT_NAME} onto the relay's metrics port ${port}`);
  for (const service of offering) {
    const annotations = service.metadata?.annotations ?? {};
    for (const [key, wanted] of Object.entries(scrapeAnnotations(port))) {
      if (annotations[key] !== wanted)
        problems.push(`${describe(service)}: annotation ${key} must be "${wanted}" (the relay's metrics on ${where})`);
    }
  }
  if (!allowed(objects, deployment, port, undefined)) {
    problems.push(
      `${where}: no NetworkPolicy lets Prometheus (another namespace) reach the relay's metrics port ${port}`,
    );
  }
  return problems;
}

/** The host of a `host:port` address; undefined when it is not one. */
const hostOfAddress = (address) => /^(.+):\d+$/.exec(address ?? '')?.[1];

/**
 * The relay the gateway runs (ADR 0011): the gateway hands it the sockets of /ws, so no
 * RELAY_WS_ADDRESS (that would pipe them to a relay these manifests do not run); its gRPC listens
 * where RELAY_GRPC_ADDRESS says, which must be an address of the pod (the Service relay sends
 * there, and the gateway calls its own relay there); each pod announces its own peer address; its
 * ports are named on the container; and the Service relay selects these pods.
 */
function relayInGateway(objects) {
  const host = named(objects, 'Deployment', RELAY.host);
  if (!host) return [];
  const where = describe(host);
  const env = environmentOf(objects, host);
  const container = mainContainer(host);
  const problems = [];
  if (env.RELAY_WS_ADDRESS !== undefined) {
    problems.push(
      `${where}: RELAY_WS_ADDRESS is set (${env.RELAY_WS_ADDRESS}): the gateway would pipe /ws to a relay elsewhere instead of handing the sockets to the relay it runs`,
    );
  }
  const listen = env.RELAY_GRPC_ADDRESS;
  if (hostOfAddress(listen) !== POD_IP) {
    problems.push(
      `${where}: RELAY_GRPC_ADDRESS is ${listen ?? 'not set'}, but the relay this pod runs listens there: it must be the pod's address, $(POD_IP) from status.podIP`,
    );
  }
  const peerPort = Number(env.RELAY_PEER_PORT ?? 50056);
  if (env.RELAY_PEER_URL !== `ws://${POD_IP}:${peerPort}`) {
    problems.push(
      `${where}: RELAY_PEER_URL is ${env.RELAY_PEER_URL ?? 'not set'}: each pod's relay must announce its own address, ws://$(POD_IP):${peerPort}`,
    );
  }
  const grpcPort = Number(/:(\d+)$/.exec(listen ?? '')?.[1] ?? 50054);
  for (const [role, port] of [
    ['grpc', grpcPort],
    ['peer', peerPort],
  ]) {
    if (containerPortNumber(container, RELAY.ports[role]) !== port)
      problems.push(`${where}: no container port ${RELAY.ports[role]} onto the relay's ${role} port ${port}`);
  }
  const service = named(objects, 'Service', RELAY.service);
  if (!service)
    problems.push(`Service/${RELAY.service}: missing (the gateways and the cleanup worker call the relay there)`);
  else if (!selects(service.spec?.selector, podLabelsOf(host)))
    problems.push(`${describe(service)}: must select ${where}'s pods, which run the relay`);
  return problems;
}

function ingressRoutes(objects) {
  const problems = [];
  const ingresses = ofKind(objects, 'Ingress');
  const routes = ingresses.flatMap((ingress) =>
    (ingress.spec?.rules ?? []).flatMap((rule) => (rule.http?.paths ?? []).map((path) => ({ ingress, path }))),
  );
  for (const wanted of ['/', '/api', '/ws']) {
    const route = routes.find(({ path }) => path.path === wanted);
    if (!route) problems.push(`Ingress: nothing routes ${wanted}`);
    else if (route.path.backend?.service?.name !== 'gateway')
      problems.push(`${describe(route.ingress)}: ${wanted} must go to the gateway`);
    if (route && wanted === '/ws') {
      const annotations = route.ingress.metadata?.annotations ?? {};
      for (const timeout of ['proxy-read-timeout', 'proxy-send-timeout']) {
        const seconds = Number(annotations[`nginx.ingress.kubernetes.io/${timeout}`]);
        if (!(seconds >= 3600))
          problems.push(
            `${describe(route.ingress)}: /ws needs nginx.ingress.kubernetes.io/${timeout} of at least 3600`,
          );
      }
    }
  }
  return problems;
}

function migrationJob(objects) {
  const jobs = ofKind(objects, 'Job').filter((job) => podLabelsOf(job)['app.kubernetes.io/component'] === 'migration');
  if (jobs.length !== 1) return [`Job: expected one migration Job, found ${jobs.length}`];
  const [job] = jobs;
  const problems = [];
  const containers = containersOf(podSpecOf(job));
  for (const app of MIGRATED_APPS) {
    const container = containers.find((candidate) =>
      (candidate.command ?? []).includes(`apps/${app}/dist/database/migrate.js`),
    );
    const host = hostOf(app);
    const service = named(objects, 'Deployment', host);
    if (!container) {
      problems.push(`${describe(job)}: runs no migrations of ${app}`);
      continue;
    }
    const serviceContainer = podSpecOf(service ?? {}).containers?.[0];
    if (!serviceContainer) continue;
    // The migration reads the service's own configuration: it needs the same settings and
    // secrets. Where another app's Deployment runs it (the relay in the gateway's pods), it
    // needs that Deployment's settings less the host's own ConfigMap, and some of its secrets.
    const json = (value) => JSON.stringify(value ?? []);
    const hostOwn = new RegExp(`^${host}-env(-[a-z0-9]+)?$`);
    const expectedEnvFrom = (serviceContainer.envFrom ?? []).filter(
      (source) => host === app || !hostOwn.test(source.configMapRef?.name ?? ''),
    );
    if (json(container.envFrom) !== json(expectedEnvFrom)) {
      problems.push(
        `${describe(job)} ${container.name ?? '(unnamed container)'}: envFrom differs from ${describe(service)}'s` +
          (host === app ? '' : ` (less ${host}-env)`),
      );
    }
    const secretsOf = (candidate) => (candidate.env ?? []).filter((variable) => variable.valueFrom?.secretKeyRef);
    const hostSecrets = new Set(secretsOf(serviceContainer).map((variable) => json(variable)));
    const secrets = secretsOf(container).map((variable) => json(variable));
    if (host === app ? json(secrets) !== json([...hostSecrets]) : !secrets.every((secret) => hostSecrets.has(secret))) {
      problems.push(
        `${describe(job)} ${container.name ?? '(unnamed container)'}: its secrets differ from ${describe(service)}'s`,
      );
    }
    if (container.image !== serviceContainer.image)
      problems.push(
        `${describe(job)} ${container.name ?? '(unnamed container)'}: image differs from ${describe(service)}'s`,
      );
  }
  return problems;
}

function everyAppDeployed(objects) {
  return APPS.filter((app) => !named(objects, 'Deployment', app)).map((app) => `Deployment/${app}: missing`);
}

function noLatestImages(objects) {
  return workloads(objects).flatMap((workload) =>
    containersOf(podSpecOf(workload))
      .filter((container) => /:latest$/.test(container.image ?? ''))
      .map(
        (container) =>
          `${describe(workload)} ${container.name ?? '(unnamed container)'}: image "${container.image}" must name a release, not latest`,
      ),
  );
}

export const RULES = {
  everyAppDeployed,
  relayInGateway,
  noSecretValues,
  podHardening,
  probes,
  services,
  disruptionBudgets,
  autoscalers,
  network,
  scraping,
  ingressRoutes,
  migrationJob,
};

/**
 * Every problem of a rendered set of objects. `pinnedImages` (production) also refuses `latest`.
 */
export function policyProblems(objects, { pinnedImages = false } = {}) {
  const rules = pinnedImages ? { ...RULES, noLatestImages } : RULES;
  return Object.values(rules).flatMap((rule) => rule(objects));
}

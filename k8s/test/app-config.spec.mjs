// What the manifests give each container is a configuration its app accepts in production: the
// ConfigMaps plus the referenced Secrets (stand-in values here) go through the app's own schema,
// the relay's too for the gateway's container, whose relay reads the same environment (ADR 0011).
import { fakeSecret, loadAppConfig } from '../../tools/k8s/app-config.mjs';
import { checkFolder, overlays } from '../../tools/k8s/check.mjs';
import { containerEnvironment, containersOf, named, ofKind, podSpecOf } from '../../tools/k8s/workloads.mjs';

/** The app a container runs: the one its command names (apps/<app>/dist/…), else its image's (…/lexy/<app>:tag). */
const appOf = (container) =>
  /^apps\/([a-z]+)\/dist\//.exec((container.command ?? []).find((word) => word.startsWith('apps/')) ?? '')?.[1] ??
  /\/([a-z]+)[:@]/.exec(container.image)[1];

const environmentOf = (objects, container) =>
  containerEnvironment(objects, container, {
    secretValue: (name, key, optional) => (optional ? undefined : fakeSecret(key)),
    fieldValue: (path) => (path === 'status.podIP' ? '10.1.2.3' : undefined),
  });

describe.each(overlays().map((overlay) => [overlay.name, overlay.folder]))('%s', (_name, folder) => {
  let objects;
  beforeAll(async () => {
    ({ objects } = await checkFolder(folder));
  });

  it('configures every app container so that its app starts', async () => {
    const containers = [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'Job')].flatMap((workload) =>
      containersOf(podSpecOf(workload)),
    );
    // Five Deployments, four migrations.
    expect(containers.length).toBe(5 + 4);
    const apps = containers.map(appOf);
    expect(apps.filter((app) => app === 'relay')).toEqual(['relay']); // its migration
    for (const container of containers) {
      const app = appOf(container);
      await expect(loadAppConfig(app, environmentOf(objects, container)).then(() => app)).resolves.toBe(app);
    }
  });

  it('makes each gRPC service listen on all interfaces and the others call it by its Service name', async () => {
    const container = (name) => podSpecOf(named(objects, 'Deployment', name)).containers[0];
    const config = await loadAppConfig('gateway', environmentOf(objects, container('gateway')));
    expect(config.AUTH_GRPC_ADDRESS).toBe('auth:50051');
    for (const app of ['auth', 'files', 'quotas']) {
      const own = await loadAppConfig(app, environmentOf(objects, container(app)));
      expect(own[`${app.toUpperCase()}_GRPC_ADDRESS`]).toMatch(/^0\.0\.0\.0:5005\d$/);
    }
    const cleanup = await loadAppConfig('cleanup', environmentOf(objects, container('cleanup')));
    expect(cleanup.RELAY_GRPC_ADDRESS).toBe('relay:50054');
  });

  it('gives the gateway’s container a relay of its own: the relay’s settings, on the pod’s address', async () => {
    const env = environmentOf(objects, podSpecOf(named(objects, 'Deployment', 'gateway')).containers[0]);
    const gateway = await loadAppConfig('gateway', env);
    // It hands the sockets of /ws to its relay and calls that relay's gRPC at the pod's address.
    expect(gateway.RELAY_WS_ADDRESS).toBeUndefined();
    expect(gateway.RELAY_GRPC_ADDRESS).toBe('10.1.2.3:50054');
    const relay = await loadAppConfig('relay', env);
    expect(relay.RELAY_GRPC_ADDRESS).toBe('10.1.2.3:50054');
    expect(relay.RELAY_PEER_URL).toBe('ws://10.1.2.3:50056');
    expect(relay.RELAY_METRICS_PORT).toBe(9469);
    expect(relay.RELAY_DATABASE).toBe('lexy_relay');
    expect(relay.MYSQL_USER).toBe('lexy');
    // What both processes share names the same services.
    expect(relay.AUTH_GRPC_ADDRESS).toBe(gateway.AUTH_GRPC_ADDRESS);
    expect(relay.GATEWAY_THROTTLE_PREFIX).toBe(gateway.GATEWAY_THROTTLE_PREFIX);
  });

  it('gives the gateway’s relay the database account of the Secret lexy-mysql', () => {
    // The schema cannot tell: MYSQL_PASSWORD defaults to empty, and the relay would fail at connect.
    const env = environmentOf(objects, podSpecOf(named(objects, 'Deployment', 'gateway')).containers[0]);
    expect([env.MYSQL_USER, env.MYSQL_PASSWORD]).toEqual([fakeSecret('username'), fakeSecret('password')]);
    const refs = podSpecOf(named(objects, 'Deployment', 'gateway')).containers[0].env.filter(
      (variable) => variable.valueFrom?.secretKeyRef?.name === 'lexy-mysql',
    );
    expect(refs.map((variable) => variable.name).sort()).toEqual(['MYSQL_PASSWORD', 'MYSQL_USER']);
  });

  it('would not start an app whose Secret is missing', async () => {
    const auth = ofKind(objects, 'Deployment').find((deployment) => deployment.metadata.name === 'auth');
    const env = environmentOf(objects, podSpecOf(auth).containers[0]);
    delete env.AUTH_JWT_SECRET;
    await expect(loadAppConfig('auth', env)).rejects.toThrow(/AUTH_JWT_SECRET: required in production/);
  });
});

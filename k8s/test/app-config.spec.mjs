// What the manifests give each container is a configuration its app accepts in production: the
// ConfigMaps plus the referenced Secrets (stand-in values here) go through the app's own schema.
import { fakeSecret, loadAppConfig } from '../../tools/k8s/app-config.mjs';
import { checkFolder, overlays } from '../../tools/k8s/check.mjs';
import { containerEnvironment, containersOf, ofKind, podSpecOf } from '../../tools/k8s/workloads.mjs';

/** The app a container runs: its image's name (registry.example.org/lexy/<app>:tag). */
const appOfImage = (image) => /\/([a-z]+)[:@]/.exec(image)[1];

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
    expect(containers.length).toBe(6 + 4);
    for (const container of containers) {
      const app = appOfImage(container.image);
      await expect(loadAppConfig(app, environmentOf(objects, container)).then(() => app)).resolves.toBe(app);
    }
  });

  it('makes each gRPC service listen on all interfaces and the others call it by its Service name', async () => {
    const gateway = ofKind(objects, 'Deployment').find((deployment) => deployment.metadata.name === 'gateway');
    const config = await loadAppConfig('gateway', environmentOf(objects, podSpecOf(gateway).containers[0]));
    expect(config.AUTH_GRPC_ADDRESS).toBe('auth:50051');
    expect(config.RELAY_WS_ADDRESS).toBe('relay:50055');
    const relay = ofKind(objects, 'Deployment').find((deployment) => deployment.metadata.name === 'relay');
    const relayConfig = await loadAppConfig('relay', environmentOf(objects, podSpecOf(relay).containers[0]));
    expect(relayConfig.RELAY_GRPC_ADDRESS).toBe('0.0.0.0:50054');
    expect(relayConfig.RELAY_PEER_URL).toBe('ws://10.1.2.3:50056');
  });

  it('would not start an app whose Secret is missing', async () => {
    const auth = ofKind(objects, 'Deployment').find((deployment) => deployment.metadata.name === 'auth');
    const env = environmentOf(objects, podSpecOf(auth).containers[0]);
    delete env.AUTH_JWT_SECRET;
    await expect(loadAppConfig('auth', env)).rejects.toThrow(/AUTH_JWT_SECRET: required in production/);
  });
});

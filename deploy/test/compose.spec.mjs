// deploy/compose.yaml and deploy/.env.example, read with a YAML parser (no Docker engine here):
// the services and their order, the health checks, the hardening, and that the environment each
// app gets from them is one its own config schema accepts in production (the relay's included,
// which runs in the gateway's container).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { fakeSecret, loadAppConfig } from '../../tools/k8s/app-config.mjs';

const DEPLOY = join(import.meta.dirname, '..');
/** The services of the apps; the relay has none, it runs in the gateway's container (ADR 0011). */
const APPS = ['auth', 'quotas', 'files', 'gateway', 'cleanup'];
const MIGRATED = ['auth', 'quotas', 'files', 'relay'];
/** The service each migrated app runs in: its own, but the relay's is the gateway's. */
const RUNS_IN = { auth: 'auth', quotas: 'quotas', files: 'files', relay: 'gateway' };
const STORES = ['mysql', 'redis', 'minio'];

const composeText = readFileSync(join(DEPLOY, 'compose.yaml'), 'utf8');
// Compose reads YAML merge keys (<<), which YAML 1.2 leaves to the parser's option.
const compose = parse(composeText, { merge: true });
const services = compose.services;

/** deploy/.env.example as name → value. */
const example = Object.fromEntries(
  readFileSync(join(DEPLOY, '.env.example'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);

/** Compose's interpolation of ${NAME}, ${NAME:-default} and ${NAME:?message} from `values`. */
function interpolate(value, values) {
  return String(value).replace(/\$\{([A-Z_][A-Z0-9_]*)(?:(:-|:\?)([^}]*))?\}/g, (_all, name, operator, rest) => {
    const given = values[name];
    if (given !== undefined && given !== '') return given;
    if (operator === ':?') throw new Error(`compose would stop: ${rest}`);
    return operator === ':-' ? rest : '';
  });
}

/** .env.example with every empty secret filled in, as an operator would. */
const filledIn = Object.fromEntries(
  Object.entries(example).map(([name, value]) => [
    name,
    value === '' && !/^(TRUSTED_PROXIES|GATEWAY_CLIENT_ORIGINS|ADMIN_)/.test(name) ? fakeSecret(name) : value,
  ]),
);

describe('compose.yaml', () => {
  it('runs the stores, the migrations and the apps', () => {
    expect(Object.keys(services).sort()).toEqual(
      [...STORES, ...MIGRATED.map((app) => `migrate-${app}`), ...APPS].sort(),
    );
  });

  it('runs each migration once, after MySQL is healthy, with its service’s own image and settings', () => {
    for (const app of MIGRATED) {
      const migrate = services[`migrate-${app}`];
      const service = services[RUNS_IN[app]];
      expect(migrate.restart).toBe('no');
      expect(migrate.command).toEqual(['node', `apps/${app}/dist/database/migrate.js`]);
      expect(migrate.depends_on).toEqual({ mysql: { condition: 'service_healthy' } });
      expect(migrate.image).toBe(service.image);
      if (app === RUNS_IN[app]) expect(migrate.environment).toEqual(service.environment);
      // The relay's settings, as the relay in the gateway's container reads them.
      else expect(service.environment).toEqual(expect.objectContaining(migrate.environment));
    }
  });

  it('starts each service after its migration and the gateway after every service', () => {
    for (const app of MIGRATED) {
      expect(services[RUNS_IN[app]].depends_on[`migrate-${app}`]).toEqual({
        condition: 'service_completed_successfully',
      });
    }
    for (const dependency of ['auth', 'files', 'quotas', 'redis', 'minio']) {
      expect(services.gateway.depends_on[dependency]).toEqual({ condition: 'service_healthy' });
    }
    // The cleanup worker calls the relay, which the gateway runs.
    for (const dependency of ['files', 'quotas', 'gateway', 'redis']) {
      expect(services.cleanup.depends_on[dependency]).toEqual({ condition: 'service_healthy' });
    }
  });

  it('runs the relay in the gateway’s container, which is `relay` on the network', () => {
    expect(services.relay).toBeUndefined();
    expect(services.gateway.networks).toEqual({ lexy: { aliases: ['relay'] } });
    expect(services.gateway.environment.RELAY_WS_ADDRESS).toBeUndefined();
    // Its relay listens where the gateway and the cleanup worker call it, and announces itself there.
    for (const name of ['gateway', 'cleanup'])
      expect(services[name].environment.RELAY_GRPC_ADDRESS).toBe('relay:50054');
    expect(services.gateway.environment.RELAY_PEER_URL).toBe('ws://relay:50056');
    // Every other app container is on the network under its own name only.
    for (const app of APPS.filter((name) => name !== 'gateway')) expect(services[app].networks).toEqual(['lexy']);
  });

  it('checks the health of everything that keeps running, each waited-on dependency included', () => {
    for (const name of [...STORES, ...APPS]) {
      expect([name, services[name].healthcheck?.test?.length > 0]).toEqual([name, true]);
    }
    for (const app of APPS) expect(services[app].healthcheck.test).toEqual(['CMD', 'node', 'deploy/healthcheck.mjs']);
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        if (condition === 'service_healthy')
          expect([name, dependency, services[dependency].healthcheck?.disable]).toEqual([name, dependency, undefined]);
      }
    }
  });

  it('runs the apps read-only, without capabilities, unable to gain privileges, /tmp in memory', () => {
    for (const name of [...APPS, ...MIGRATED.map((app) => `migrate-${app}`)]) {
      const service = services[name];
      expect([name, service.read_only, service.tmpfs, service.cap_drop, service.security_opt]).toEqual([
        name,
        true,
        ['/tmp'],
        ['ALL'],
        ['no-new-privileges:true'],
      ]);
    }
  });

  it('publishes the gateway alone', () => {
    const published = Object.entries(services).filter(([, service]) => service.ports);
    expect(published.map(([name]) => name)).toEqual(['gateway']);
  });

  it('builds every app image with deploy/Dockerfile and its APP, each once', () => {
    for (const app of APPS) {
      const builders = Object.values(services).filter(
        (service) => service.image === services[app].image && service.build,
      );
      expect(builders.map((service) => service.build)).toEqual([
        { context: '..', dockerfile: 'deploy/Dockerfile', args: { APP: app } },
      ]);
    }
    // The relay's own image is for a relay run apart: nothing here uses it.
    expect(Object.values(services).filter((service) => /\/relay:/.test(service.image ?? ''))).toEqual([]);
  });
});

describe('.env.example', () => {
  it('names every variable compose.yaml reads', () => {
    const used = [...composeText.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((match) => match[1]);
    const images = ['MYSQL_IMAGE', 'REDIS_IMAGE', 'MINIO_IMAGE'];
    expect([...new Set(used)].filter((name) => !(name in example) && !images.includes(name))).toEqual([]);
  });

  it('holds no secret values, only empty places for them', () => {
    for (const [name, value] of Object.entries(example)) {
      if (/SECRET|PASSWORD|PEPPER|KEY$/.test(name) && name !== 'S3_ACCESS_KEY')
        expect([name, value]).toEqual([name, '']);
    }
  });

  it('as it is, makes compose refuse to start', () => {
    expect(() => interpolate(JSON.stringify(services.auth.environment), example)).toThrow(
      /compose would stop: set [A-Z_]+ in deploy\/.env/,
    );
  });
});

describe('the environment each app gets', () => {
  /** The environment compose gives a service, with .env.example filled in. */
  const environmentOf = (name) =>
    Object.fromEntries(
      Object.entries(services[name].environment).map(([variable, value]) => [variable, interpolate(value, filledIn)]),
    );

  it.each(APPS)('is a configuration %s accepts in production', async (app) => {
    const config = await loadAppConfig(app, environmentOf(app));
    expect(config).toBeDefined();
    if (app === 'gateway') {
      expect(config.AUTH_GRPC_ADDRESS).toBe('auth:50051');
      expect(config.S3_ENDPOINT).toBe('http://minio:9000');
      // Unset: the gateway runs the relay and hands it the sockets of /ws.
      expect(config.RELAY_WS_ADDRESS).toBeUndefined();
    }
    if (MIGRATED.includes(app)) {
      expect(config[`${app.toUpperCase()}_GRPC_ADDRESS`]).toMatch(/^0\.0\.0\.0:/);
      expect(config.MYSQL_HOST).toBe('mysql');
    }
  });

  it('is, on the gateway, a configuration the relay it runs accepts in production', async () => {
    const config = await loadAppConfig('relay', environmentOf('gateway'));
    expect(config.MYSQL_HOST).toBe('mysql');
    expect(config.RELAY_DATABASE).toBe('lexy_relay');
    expect(config.RELAY_GRPC_ADDRESS).toBe('relay:50054');
    expect(config.REDIS_URL).toMatch(/@redis:6379$/);
    expect(config.RELAY_WS_FROM_PARENT).toBe(false); // the gateway sets it when it forks the relay
  });

  it('is, on the relay’s migration, a configuration the relay accepts in production', async () => {
    await expect(loadAppConfig('relay', environmentOf('migrate-relay'))).resolves.toBeDefined();
  });
});

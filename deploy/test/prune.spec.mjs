// deploy/prune.mjs: the dependency pruning on small inputs, then real runs for the auth service
// and for the gateway, which carries the relay it runs (all built by the test target's
// dependencies), into temporary folders.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  applicableOverrides,
  CARRIED_APPS,
  mergedDependencies,
  productionDependencies,
  prune,
  workspaceLibraries,
} from '../prune.mjs';
import { bareSpecifiers, importedPackages, packageOf } from './support/imports.mjs';

/** Packages the pruned app's code imports that neither its manifest nor its workspace links provide. */
function unprovided(out) {
  const manifest = JSON.parse(readFileSync(join(out, 'manifest/package.json'), 'utf8'));
  const links = readFileSync(join(out, 'manifest/workspace-links.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(' ')[0]);
  const provided = new Set([...Object.keys(manifest.dependencies), ...links]);
  return [...importedPackages(join(out, 'app'))]
    .filter(([name]) => !provided.has(name))
    .map(([name, file]) => `${name} (${relative(out, file)})`);
}

describe('productionDependencies', () => {
  it('keeps npm packages and leaves out workspace and dev-only ones', () => {
    const lock = { packages: { 'node_modules/@jest/globals': { dev: true }, 'node_modules/zod': {} } };
    const { kept, dropped } = productionDependencies(
      { zod: '4.6.7', '@lexy/server-config': '*', '@jest/globals': '30.5.2' },
      lock,
    );
    expect(kept).toEqual({ zod: '4.6.7' });
    expect(dropped).toEqual(['@jest/globals']);
  });
});

describe('applicableOverrides', () => {
  it('keeps an override whose $reference is among the dependencies', () => {
    const overrides = {
      typeorm: { ioredis: '$ioredis' },
      'openapi-typescript': { typescript: '$typescript' },
      left: '1.0.0',
    };
    expect(applicableOverrides(overrides, { ioredis: '6.0.0', typeorm: '1.1.1' })).toEqual({
      typeorm: { ioredis: '$ioredis' },
      left: '1.0.0',
    });
  });
});

describe('mergedDependencies', () => {
  it('joins the lists of several apps, and refuses one package at two versions', () => {
    expect(
      mergedDependencies([
        { zod: '4.6.7', ws: '8.23.1' },
        { zod: '4.6.7', ioredis: '6.0.0' },
      ]),
    ).toEqual({
      ioredis: '6.0.0',
      ws: '8.23.1',
      zod: '4.6.7',
    });
    expect(() => mergedDependencies([{ zod: '4.6.7' }, { zod: '3.25.0' }])).toThrow(
      /zod is wanted at 4\.6\.7 and at 3\.25\.0/,
    );
  });
});

describe('importedPackages (support)', () => {
  it('reads the packages of imports, re-exports and dynamic imports, not relative paths or builtins', () => {
    const source = [
      "import { z } from 'zod';",
      "import 'reflect-metadata';",
      'export { Server } from "@grpc/grpc-js/build/src/server";',
      "const ws = await import('ws');",
      "import { join } from 'node:path';",
      "import { EventEmitter } from 'events';",
      "import { thing } from './thing.js';",
    ].join('\n');
    expect([...bareSpecifiers(source)].map(packageOf).sort()).toEqual([
      '@grpc/grpc-js',
      'reflect-metadata',
      'ws',
      'zod',
    ]);
  });
});

describe('workspaceLibraries', () => {
  it('follows library dependencies transitively, not npm packages or apps', () => {
    const node = (name, type, root) => ({ name, type, data: { root } });
    const graph = {
      nodes: {
        app: node('app', 'app', 'apps/app'),
        a: node('a', 'lib', 'libs/a'),
        b: node('b', 'lib', 'libs/b'),
        other: node('other', 'app', 'apps/other'),
      },
      dependencies: {
        app: [{ target: 'a' }, { target: 'npm:zod' }],
        a: [{ target: 'b' }, { target: 'other' }],
        b: [{ target: 'a' }],
      },
    };
    expect(workspaceLibraries(graph, 'app')).toEqual(['libs/a', 'libs/b']);
    expect(workspaceLibraries(graph, 'other', 'app')).toEqual(['libs/a', 'libs/b']);
    expect(workspaceLibraries(graph, 'other')).toEqual([]);
  });
});

describe('prune', () => {
  let out;
  let result;
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'lexy-prune-'));
    result = await prune('auth', out);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  const json = (path) => JSON.parse(readFileSync(join(out, path), 'utf8'));

  it('writes a manifest of the production dependencies that starts the app with `node .`', () => {
    const manifest = json('manifest/package.json');
    expect(manifest.main).toBe('apps/auth/dist/main.js');
    expect(manifest.type).toBe('module');
    const names = Object.keys(manifest.dependencies);
    expect(names).toEqual(expect.arrayContaining(['@grpc/grpc-js', '@nestjs/core', 'argon2', 'mysql2', 'typeorm']));
    // Neither workspace packages, nor test or build tools, nor what only other apps use.
    for (const name of names)
      expect(name).not.toMatch(/^@lexy\/|jest|^nx$|^@nx\/|typescript|^@angular\/|^minio$|^bullmq$/);
    expect(manifest.overrides).toEqual({ typeorm: { ioredis: '$ioredis' } });
    expect(result.dropped).toContain('@jest/globals');
  });

  it('prunes the lockfile to the same dependencies, at the versions the workspace locks', () => {
    const lock = json('manifest/package-lock.json');
    const rootLock = JSON.parse(readFileSync(join(import.meta.dirname, '../../package-lock.json'), 'utf8'));
    expect(lock.packages[''].dependencies).toEqual(json('manifest/package.json').dependencies);
    // Hoisting may differ (fewer packages compete for the top level), the versions may not.
    const locked = new Set(
      Object.entries(rootLock.packages).map(
        ([path, entry]) => `${path.replace(/^.*node_modules\//, '')}@${entry.version}`,
      ),
    );
    for (const [path, entry] of Object.entries(lock.packages).filter(([path]) => path)) {
      expect([path, locked.has(`${path.replace(/^.*node_modules\//, '')}@${entry.version}`)]).toEqual([path, true]);
    }
    expect(Object.keys(lock.packages).some((path) => path.includes('node_modules/jest'))).toBe(false);
  });

  it('lists the workspace libraries to link, with their folders', () => {
    const links = readFileSync(join(out, 'manifest/workspace-links.txt'), 'utf8').trim().split('\n');
    expect(links).toEqual(
      expect.arrayContaining(['@lexy/contracts-grpc libs/contracts/grpc', '@lexy/server-config libs/server/config']),
    );
    for (const line of links) expect(existsSync(join(out, 'app', line.split(' ')[1], 'dist'))).toBe(true);
  });

  it('lays out the built app as the workspace does, with the protos and the health check', () => {
    for (const path of [
      'apps/auth/dist/main.js',
      'apps/auth/dist/database/migrate.js',
      'apps/auth/package.json',
      'libs/server/grpc/dist/index.js',
      'proto/grpc/health/v1/health.proto',
      'proto/lexy/auth/v1/auth.proto',
      'deploy/healthcheck.mjs',
    ]) {
      expect([path, existsSync(join(out, 'app', path))]).toEqual([path, true]);
    }
    expect(existsSync(join(out, 'app/apps/auth/dist/main.d.ts'))).toBe(false);
    expect(existsSync(join(out, 'app/apps/web'))).toBe(false);
  });

  it('provides every package the built code imports', () => {
    expect(unprovided(out)).toEqual([]);
    expect(result.apps).toEqual(['auth']);
  });

  it('refuses an app it does not package', async () => {
    await expect(prune('web', out)).rejects.toThrow(/unknown app "web"/);
  });
});

describe('prune of the gateway', () => {
  let out;
  let result;
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'lexy-prune-gateway-'));
    result = await prune('gateway', out);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  const json = (path) => JSON.parse(readFileSync(join(out, path), 'utf8'));

  it('carries the relay, which the gateway runs as its child process', () => {
    expect(CARRIED_APPS.gateway).toEqual(['relay']);
    expect(result.apps).toEqual(['gateway', 'relay']);
    expect(json('manifest/package.json').main).toBe('apps/gateway/dist/main.js');
    for (const path of [
      'apps/gateway/dist/main.js',
      'apps/relay/dist/main.js',
      'apps/relay/dist/database/migrate.js',
      'apps/relay/package.json',
      'apps/web/dist/browser/index.html',
      'proto/lexy/relay/v1/relay.proto',
      'deploy/healthcheck.mjs',
    ]) {
      expect([path, existsSync(join(out, 'app', path))]).toEqual([path, true]);
    }
  });

  it('puts the relay where the gateway forks it from by default', async () => {
    // GATEWAY_RELAY_ENTRY's default, computed by the gateway's own module from where it lies.
    const { DEFAULT_RELAY_ENTRY } = await import(
      pathToFileURL(join(import.meta.dirname, '../../apps/gateway/dist/relay/relay-child.js')).href
    );
    const gatewayDist = fileURLToPath(new URL('../../apps/gateway/dist/', import.meta.url));
    const fromGateway = relative(gatewayDist, DEFAULT_RELAY_ENTRY);
    expect(fromGateway).toBe(join('..', '..', 'relay', 'dist', 'main.js'));
    expect(existsSync(join(out, 'app/apps/gateway/dist', fromGateway))).toBe(true);
  });

  it('installs the relay’s npm dependencies and links its libraries, with the gateway’s', async () => {
    const names = Object.keys(json('manifest/package.json').dependencies);
    // The relay's own: the devices' WebSocket (ws, @nestjs/platform-ws); the gateway's: tus, S3.
    expect(names).toEqual(
      expect.arrayContaining(['ws', '@nestjs/platform-ws', '@nestjs/websockets', '@tus/server', 'minio', 'mysql2']),
    );
    for (const name of names) expect(name).not.toMatch(/^@lexy\/|jest|^nx$|^@nx\/|typescript|^@angular\//);
    const links = readFileSync(join(out, 'manifest/workspace-links.txt'), 'utf8').trim().split('\n');
    expect(links).toEqual(
      expect.arrayContaining([
        '@lexy/server-database libs/server/database',
        '@lexy/server-throttle libs/server/throttle',
      ]),
    );
    for (const line of links) expect(existsSync(join(out, 'app', line.split(' ')[1], 'dist'))).toBe(true);
  });

  it('provides every package the built gateway and relay import', () => {
    expect(unprovided(out)).toEqual([]);
  });

  it('prunes the lockfile to the merged dependencies', () => {
    expect(json('manifest/package-lock.json').packages[''].dependencies).toEqual(
      json('manifest/package.json').dependencies,
    );
    expect(json('manifest/package-lock.json').packages['node_modules/ws']).toBeDefined();
  });
});

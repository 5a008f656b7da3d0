// deploy/prune.mjs: the dependency pruning on small inputs, then a real run for the auth service
// (built by the test target's dependencies) into a temporary folder.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applicableOverrides, productionDependencies, prune, workspaceLibraries } from '../prune.mjs';

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

  it('refuses an app it does not package', async () => {
    await expect(prune('web', out)).rejects.toThrow(/unknown app "web"/);
  });
});

// Lays out what the container image of one Nest app needs, from a workspace where that app is
// built (`nx run-many -t build -p <app>`, with the apps it carries, CARRIED_APPS). Run by
// deploy/Dockerfile; runnable by hand too:
//
//   node deploy/prune.mjs <app> <out-dir>
//
// It writes
//   <out>/manifest/package.json       the app's production npm dependencies only, as Nx's project
//                                      graph finds them in the app and the workspace libraries it uses
//                                      (and in the apps it carries, with theirs)
//   <out>/manifest/package-lock.json  the root lockfile pruned to those (Nx), so the image gets the
//                                      versions the workspace was tested with
//   <out>/manifest/workspace-links.txt "<package name> <folder>" of each workspace library, linked
//                                      into node_modules after `npm install` (npm would remove them)
//   <out>/app/                         the built files, in the workspace's own layout (apps/<app>/dist,
//                                      libs/**/dist, proto/): code that finds files relative to itself
//                                      (PROTO_ROOT, the gateway's web root, the relay entry the gateway
//                                      forks) works unchanged
import { createProjectGraphAsync } from '@nx/devkit';
import { createPackageJson, generatePrunedDeployOutput } from '@nx/js';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NEST_APPS = ['gateway', 'auth', 'files', 'quotas', 'relay', 'cleanup'];
/**
 * The Nest apps an app's image carries besides its own, with their dependencies: the gateway
 * runs the relay as its child process (`apps/relay/dist/main.js` beside its own dist, ADR 0011).
 * The relay's own image stays, for a relay run apart (the gateway's RELAY_WS_ADDRESS).
 */
export const CARRIED_APPS = { gateway: ['relay'] };
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** Workspace library projects the apps depend on, directly or through other libraries. */
export function workspaceLibraries(graph, ...apps) {
  const seen = new Set();
  const visit = (name) => {
    for (const dependency of graph.dependencies[name] ?? []) {
      const node = graph.nodes[dependency.target];
      if (node?.type === 'lib' && !seen.has(node.name)) {
        seen.add(node.name);
        visit(node.name);
      }
    }
  };
  for (const app of apps) visit(app);
  return [...seen].sort().map((name) => graph.nodes[name].data.root);
}

/**
 * The npm packages of `dependencies` the app needs at run time: not workspace packages, and not
 * packages the root lockfile marks dev-only (Nx reads every source file, tests included, so test
 * helpers such as @jest/globals show up in its list).
 */
export function productionDependencies(dependencies, rootLock) {
  const kept = {};
  const dropped = [];
  for (const [name, version] of Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b))) {
    if (name.startsWith('@lexy/')) continue;
    if (rootLock.packages[`node_modules/${name}`]?.dev) dropped.push(name);
    else kept[name] = version;
  }
  return { kept, dropped };
}

/** The root overrides that still apply: a `$name` reference needs `name` among the dependencies. */
export function applicableOverrides(overrides = {}, dependencies) {
  const refsResolve = (value) =>
    typeof value === 'string'
      ? !value.startsWith('$') || value.slice(1) in dependencies
      : Object.values(value).every(refsResolve);
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => refsResolve(value)));
}

/**
 * The npm dependencies of several apps as one list (they all come from the root package.json, so
 * a package two apps use has one version); a differing version is an error, not a silent pick.
 */
export function mergedDependencies(lists) {
  const merged = {};
  for (const dependencies of lists) {
    for (const [name, version] of Object.entries(dependencies)) {
      if (name in merged && merged[name] !== version)
        throw new Error(`${name} is wanted at ${merged[name]} and at ${version}`);
      merged[name] = version;
    }
  }
  return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
}

/** Copies a built project's package.json and dist/, without type declarations and build info. */
function copyBuiltProject(root, outApp) {
  const dist = join(ROOT, root, 'dist');
  if (!existsSync(dist)) throw new Error(`${root}/dist is missing: build it first (nx run-many -t build)`);
  cpSync(join(ROOT, root, 'package.json'), join(outApp, root, 'package.json'));
  cpSync(dist, join(outApp, root, 'dist'), {
    recursive: true,
    filter: (source) => !/\.(d\.ts|d\.ts\.map|tsbuildinfo)$/.test(source),
  });
}

export async function prune(app, outDir) {
  if (!NEST_APPS.includes(app)) throw new Error(`unknown app "${app}": expected one of ${NEST_APPS.join(', ')}`);
  const graph = await createProjectGraphAsync({ exitOnError: true });
  const rootPackage = readJson(join(ROOT, 'package.json'));
  const rootLock = readJson(join(ROOT, 'package-lock.json'));

  const apps = [app, ...(CARRIED_APPS[app] ?? [])];
  const found = mergedDependencies(
    apps.map(
      (name) =>
        createPackageJson(name, graph, { isProduction: true, root: ROOT, skipOverrides: true }).dependencies ?? {},
    ),
  );
  const { kept, dropped } = productionDependencies(found, rootLock);
  const libraries = workspaceLibraries(graph, ...apps);

  const manifestDir = join(outDir, 'manifest');
  const outApp = join(outDir, 'app');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(manifestDir, { recursive: true });

  const manifest = {
    name: `@lexy/${app}-image`,
    version: rootPackage.version,
    private: true,
    type: 'module',
    // `node .` in the image starts the app (CMD of deploy/Dockerfile).
    main: `apps/${app}/dist/main.js`,
    dependencies: kept,
    overrides: applicableOverrides(rootPackage.overrides, kept),
  };
  generatePrunedDeployOutput(manifest, graph, `apps/${app}`, {
    outputDirectory: manifestDir,
    packageManager: 'npm',
    workspaceRoot: ROOT,
  });
  writeFileSync(join(manifestDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const links = libraries.map((root) => `${readJson(join(ROOT, root, 'package.json')).name} ${root}`);
  writeFileSync(join(manifestDir, 'workspace-links.txt'), `${links.join('\n')}\n`);

  for (const root of [...apps.map((name) => `apps/${name}`), ...libraries]) copyBuiltProject(root, outApp);
  if (libraries.includes('libs/contracts/grpc'))
    cpSync(join(ROOT, 'proto'), join(outApp, 'proto'), { recursive: true });
  if (app === 'gateway') {
    // The gateway serves the web app at / (GATEWAY_WEB_ROOT defaults to apps/web/dist/browser).
    const web = join(ROOT, 'apps/web/dist/browser');
    if (!existsSync(join(web, 'index.html'))) throw new Error('apps/web/dist/browser is missing: nx run web:build');
    cpSync(web, join(outApp, 'apps/web/dist/browser'), { recursive: true });
  }
  mkdirSync(join(outApp, 'deploy'), { recursive: true });
  cpSync(join(ROOT, 'deploy/healthcheck.mjs'), join(outApp, 'deploy/healthcheck.mjs'));
  return { apps, dependencies: kept, dropped, libraries };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [app, outDir] = process.argv.slice(2);
  if (!app || !outDir) {
    console.error('usage: node deploy/prune.mjs <app> <out-dir>');
    process.exit(2);
  }
  const result = await prune(app, outDir);
  console.log(
    `${result.apps.join(' + ')}: ${Object.keys(result.dependencies).length} npm dependencies, ${result.libraries.length} workspace libraries` +
      (result.dropped.length ? `; dev-only, left out: ${result.dropped.join(', ')}` : ''),
  );
}

#!/usr/bin/env node
// Keeps the native projects of the mobile app (apps/mobile/android, apps/mobile/ios) in step with
// its web build, capacitor.config.ts and plugin list.
//
//   node tools/mobile/sync.mjs            `npm run mobile:sync`: builds the web app
//                                         (nx run mobile:build) and runs `cap sync` in apps/mobile
//   node tools/mobile/sync.mjs --no-build the same with the web build already in dist/browser
//   node tools/mobile/sync.mjs --native   regenerates only the committed native files (plugin
//                                         lists), no web build needed
//   node tools/mobile/sync.mjs --check    fails when the committed native files are not what a
//                                         sync makes of the current config and plugins
//
// --check and --native never touch apps/mobile while syncing: they copy the projects' source files
// into a scratch folder, put a placeholder page where the web build goes, run `cap sync` there and
// compare the result (--native then copies what changed back). No Gradle, Xcode, CocoaPods or
// network is needed, and the outcome depends only on the files, so it is deterministic and takes
// about a second.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffFileSets, IDENTITY_FILES, identityProblems, pinProblems } from './native-check.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const appDir = join(root, 'apps/mobile');
const appPath = relative(root, appDir).split(sep).join('/');
const nativeDirs = ['android', 'ios'];
const cap = join(root, 'node_modules/.bin/cap');

// The CLI writes paths relative to the project into the generated files
// ('../../../node_modules/@capacitor/android/capacitor'), so the scratch copy sits at the same
// depth below the repository as apps/mobile: tmp/ is ignored by git, and Nx skips it.
const scratchDir = join(root, 'tmp', `mobile-sync-${process.pid}`);

/**
 * The Capacitor CLI's environment: CI=true keeps it from prompting and from sending usage data.
 * NODE_PRESERVE_SYMLINKS keeps the paths it writes ('../../../node_modules/…') the same when
 * node_modules is a symlink to another checkout's. Without LEXY_MOBILE_DEV_SERVER,
 * capacitor.config.ts has no live-reload server in it.
 */
function capEnv({ keepDevServer = false } = {}) {
  const env = { ...process.env, CI: 'true', NODE_PRESERVE_SYMLINKS: '1' };
  if (!keepDevServer) delete env.LEXY_MOBILE_DEV_SERVER;
  return env;
}

function run(command, args, options) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function capture(command, args, options) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

function git(args, input) {
  return capture('git', args, { cwd: root, input });
}

/**
 * Files of the native projects, relative to apps/mobile, that git would track: committed ones and
 * new ones, less any that the ignore rules leave out (judged like the sync's output below).
 */
function sourceFiles() {
  const listed = git([
    'ls-files',
    '-z',
    '--cached',
    '--others',
    '--exclude-standard',
    '--',
    ...nativeDirs.map((d) => `${appPath}/${d}`),
  ]);
  const files = listed
    .split('\0')
    .filter(Boolean)
    .map((file) => relative(appPath, file).split(sep).join('/'))
    .filter((file) => existsSync(join(appDir, file)));
  const ignored = ignoredFiles(files);
  return files.filter((file) => !ignored.has(file));
}

/** The subset of `files` (relative to apps/mobile) that apps/mobile's ignore rules leave out. */
function ignoredFiles(files) {
  if (files.length === 0) return new Set();
  const result = spawnSync('git', ['check-ignore', '--no-index', '--stdin', '-z'], {
    cwd: root,
    encoding: 'utf8',
    input: files.map((file) => `${appPath}/${file}\0`).join(''),
  });
  // Exit status 1 means "none of them is ignored".
  if (result.status !== 0 && result.status !== 1) throw new Error(`git check-ignore failed: ${result.stderr}`);
  return new Set(
    result.stdout
      .split('\0')
      .filter(Boolean)
      .map((file) => relative(appPath, file).split(sep).join('/')),
  );
}

function walk(dir, base = dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...walk(path, base));
    else if (entry.isFile()) files.push(relative(base, path).split(sep).join('/'));
  }
  return files;
}

function readAll(dir, files) {
  return new Map(files.map((file) => [file, readFileSync(join(dir, file))]));
}

/**
 * Runs `cap sync` on a scratch copy of apps/mobile and returns what it changed among the files
 * git would track, with the resolved Capacitor config.
 */
function syncScratchCopy() {
  const files = sourceFiles();
  rmSync(scratchDir, { recursive: true, force: true });
  mkdirSync(scratchDir, { recursive: true });
  try {
    for (const file of ['package.json', 'capacitor.config.ts', ...files]) {
      mkdirSync(dirname(join(scratchDir, file)), { recursive: true });
      cpSync(join(appDir, file), join(scratchDir, file));
    }
    // `cap sync` insists on a web build; its copies of it are ignored by git, so a stand-in does.
    mkdirSync(join(scratchDir, 'dist/browser'), { recursive: true });
    writeFileSync(join(scratchDir, 'dist/browser/index.html'), '<!doctype html><title>placeholder</title>\n');

    const config = JSON.parse(capture(cap, ['config', '--json'], { cwd: scratchDir, env: capEnv() })).app.extConfig;
    const log = spawnSync(cap, ['sync'], { cwd: scratchDir, env: capEnv(), encoding: 'utf8' });
    if (log.status !== 0) {
      throw new Error(`cap sync failed on the scratch copy:\n${log.stdout}${log.stderr}`);
    }

    const produced = nativeDirs.flatMap((dir) => walk(join(scratchDir, dir)).map((file) => `${dir}/${file}`));
    const ignored = ignoredFiles(produced);
    const tracked = produced.filter((file) => !ignored.has(file));
    const before = readAll(appDir, files);
    const after = readAll(scratchDir, tracked);
    return { config, before, after, drift: diffFileSets(before, after) };
  } catch (error) {
    rmSync(scratchDir, { recursive: true, force: true });
    throw error;
  }
}

function identityAndPinProblems(config) {
  const files = Object.fromEntries(
    IDENTITY_FILES.filter((file) => existsSync(join(appDir, file))).map((file) => [
      file,
      readFileSync(join(appDir, file), 'utf8'),
    ]),
  );
  const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const mobilePackage = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8'));
  return [
    ...pinProblems(rootPackage, mobilePackage),
    ...identityProblems(config, files).map((problem) => `${appPath}/${problem}`),
  ];
}

function check() {
  const { config, drift } = syncScratchCopy();
  rmSync(scratchDir, { recursive: true, force: true });
  const problems = identityAndPinProblems(config);
  const stale = [
    ...drift.changed.map((file) => `  changed by a sync: ${appPath}/${file}`),
    ...drift.added.map((file) => `  created by a sync: ${appPath}/${file}`),
    ...drift.removed.map((file) => `  deleted by a sync: ${appPath}/${file}`),
  ];
  if (stale.length > 0) {
    console.error("The mobile app's native projects are out of step with capacitor.config.ts and its plugins:");
    console.error(stale.join('\n'));
    console.error(
      'Run `npm run mobile:sync` (or `node tools/mobile/sync.mjs --native` without a web build) and commit the result.',
    );
  }
  printProblems(problems);
  if (stale.length > 0 || problems.length > 0) process.exit(1);
  console.log(`mobile native projects in step (${nativeDirs.map((d) => `${appPath}/${d}`).join(', ')})`);
}

function syncNativeOnly() {
  const { config, after, drift } = syncScratchCopy();
  try {
    for (const file of [...drift.changed, ...drift.added]) {
      mkdirSync(dirname(join(appDir, file)), { recursive: true });
      writeFileSync(join(appDir, file), after.get(file));
    }
    for (const file of drift.removed) rmSync(join(appDir, file));
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
  const touched = [...drift.changed, ...drift.added, ...drift.removed];
  console.log(
    touched.length ? touched.map((file) => `updated ${appPath}/${file}`).join('\n') : 'native projects already in step',
  );
  reportProblems(identityAndPinProblems(config));
}

function syncWithWebBuild({ build }) {
  if (
    build &&
    run(join(root, 'node_modules/.bin/nx'), ['run', 'mobile:build', '--outputStyle=static'], { cwd: root }) !== 0
  ) {
    console.error('The web build of the mobile app failed (nx run mobile:build).');
    process.exit(1);
  }
  if (!existsSync(join(appDir, 'dist/browser/index.html'))) {
    console.error(`No web build at ${appPath}/dist/browser/index.html: run \`npx nx run mobile:build\` first.`);
    process.exit(1);
  }
  if (process.env.LEXY_MOBILE_DEV_SERVER) {
    console.warn(
      `LEXY_MOBILE_DEV_SERVER is set: the app will load ${process.env.LEXY_MOBILE_DEV_SERVER} instead of its own files. ` +
        'Never build a release like this; sync again without it.',
    );
  }
  if (run(cap, ['sync'], { cwd: appDir, env: capEnv({ keepDevServer: true }) }) !== 0) process.exit(1);
  const config = JSON.parse(capture(cap, ['config', '--json'], { cwd: appDir, env: capEnv() })).app.extConfig;
  reportProblems(identityAndPinProblems(config));
  const status = git(['status', '--porcelain', '--', ...nativeDirs.map((d) => `${appPath}/${d}`)]);
  if (status.trim()) console.log(`Native project files changed; commit them:\n${status}`);
}

function printProblems(problems) {
  if (problems.length === 0) return;
  console.error('The native projects disagree with capacitor.config.ts or the root package.json:');
  console.error(problems.map((problem) => `  ${problem}`).join('\n'));
  console.error(
    '`cap sync` does not rewrite these: fix them by hand (see apps/mobile/NATIVE.md), then run `npm run mobile:sync`.',
  );
}

function reportProblems(problems) {
  printProblems(problems);
  if (problems.length > 0) process.exit(1);
}

const args = new Set(process.argv.slice(2));
const known = new Set(['--check', '--native', '--no-build']);
const unknown = [...args].filter((arg) => !known.has(arg));
if (unknown.length > 0) {
  console.error(`unknown option ${unknown.join(' ')}; use --check, --native or --no-build`);
  process.exit(2);
}
try {
  if (args.has('--check')) check();
  else if (args.has('--native')) syncNativeOnly();
  else syncWithWebBuild({ build: !args.has('--no-build') });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

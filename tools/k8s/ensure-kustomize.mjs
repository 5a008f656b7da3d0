// Finds a kustomize renderer for the manifests under k8s/, installing one where this machine can.
//
//   node tools/k8s/ensure-kustomize.mjs     prints the renderer it found (exit 1 when none)
//
// Tried in order: $KUSTOMIZE (a kustomize binary), `kustomize` on PATH, then the kustomize that
// kubectl has built in (`kubectl kustomize`). Only kustomize 5 or newer is taken: the manifests
// use its `labels`, `patches` and `replicas` fields. When none is found and this process may
// install Debian packages (root, apt-get), it installs `kubectl` and looks again. Debian's own
// `kubernetes-client` is not tried: its kubectl 1.20 carries kustomize 2.0, too old to render them.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const MINIMUM_MAJOR = 5;

/** The kustomize version in the output of `kustomize version` or `kubectl version --client`. */
export function parseKustomizeVersion(output) {
  // kubectl: "Kustomize Version: v5.5.0"; kustomize 5: "v5.5.0"; kustomize 4: "{Version:kustomize/v4.5.7 …}".
  const match =
    /Kustomize Version:\s*v?(\d+)\.(\d+)\.(\d+)/i.exec(output) ?? /(?:^|kustomize\/)v(\d+)\.(\d+)\.(\d+)/m.exec(output);
  if (!match) return undefined;
  const [major, minor, patch] = match.slice(1, 4).map(Number);
  return { major, minor, patch, text: `${major}.${minor}.${patch}` };
}

function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 20_000 });
  return result.status === 0 ? `${result.stdout}\n${result.stderr}` : undefined;
}

/** The candidates, best first: how to call each and how to ask its version. */
function candidates(env) {
  const list = [];
  if (env.KUSTOMIZE) list.push({ command: env.KUSTOMIZE, buildArgs: ['build'], versionArgs: ['version'] });
  list.push({ command: 'kustomize', buildArgs: ['build'], versionArgs: ['version'] });
  list.push({ command: 'kubectl', buildArgs: ['kustomize'], versionArgs: ['version', '--client'] });
  return list;
}

/**
 * The first renderer of kustomize ≥ 5 found, as `{ command, buildArgs, version }`; `buildArgs`
 * followed by a folder renders it. Undefined when there is none.
 */
export function findKustomize(env = process.env) {
  for (const candidate of candidates(env)) {
    const output = run(candidate.command, candidate.versionArgs);
    const version = output && parseKustomizeVersion(output);
    if (version && version.major >= MINIMUM_MAJOR) {
      return { command: candidate.command, buildArgs: candidate.buildArgs, version: version.text };
    }
  }
  return undefined;
}

function mayInstall() {
  return process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
}

/** Like findKustomize, but installs Debian's `kubectl` first when nothing fits and it may. */
export function ensureKustomize(env = process.env, log = console.log) {
  const found = findKustomize(env);
  if (found || !mayInstall()) return found;
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env: aptEnv });
  const policy = run('apt-cache', ['policy', 'kubectl']) ?? '';
  // No candidate: no package source of this machine offers kubectl.
  if (!/Candidate:\s*\d/.test(policy)) return undefined;
  log('Installing kubectl (its built-in kustomize renders k8s/) with apt-get...');
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'kubectl'], { stdio: 'inherit', env: aptEnv });
  return findKustomize(env);
}

export const MISSING_MESSAGE =
  `No kustomize ${MINIMUM_MAJOR}+ found: install kustomize or kubectl 1.27+ (its built-in kustomize), ` +
  'or point KUSTOMIZE at a kustomize binary.';

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const found = ensureKustomize();
  if (!found) {
    console.error(MISSING_MESSAGE);
    process.exit(1);
  }
  console.log(`kustomize ${found.version}: ${[found.command, ...found.buildArgs].join(' ')}`);
}

// `npm test`: every check a change must pass, in the order that fails fastest.
// format → proto lint + drift → the mobile app's native projects → the platform tools' own tests → lint, build, test type-check,
// unit and integration tests (Nx, cached, two at a time) → end-to-end tests through the gateway → end-to-end tests of the
// local cluster → browser tests of the web app → one closing count.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { preflight } from '../platform/preflight.mjs';
import { ROOT } from '../platform/platform.mjs';

const env = { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false', NX_TUI: 'false', FORCE_COLOR: '0' };
const bin = (name) => join(ROOT, 'node_modules/.bin', name);
const resultsDir = join(ROOT, 'tmp/test-results');

function step(title, command, args) {
  console.log(`\n=== ${title}`);
  const result = spawnSync(command, args, { cwd: ROOT, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n${title} failed.`);
    printTotals();
    process.exit(result.status ?? 1);
  }
}

function collect(dir, totals) {
  if (!existsSync(dir)) return totals;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) collect(path, totals);
    else if (entry.name === 'results.json') {
      const counts = JSON.parse(readFileSync(path, 'utf8'));
      totals.passed += counts.passed;
      totals.failed += counts.failed;
      totals.skipped += counts.skipped;
    }
  }
  return totals;
}

function printTotals() {
  const { passed, failed, skipped } = collect(resultsDir, { passed: 0, failed: 0, skipped: 0 });
  console.log(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
}

const problems = await preflight(process.env);
if (problems.length > 0) {
  console.error(`The tests need these services:\n${problems.join('\n')}`);
  process.exit(1);
}

rmSync(resultsDir, { recursive: true, force: true });
step('format', bin('prettier'), ['--check', '.', '--log-level', 'warn']);
step('proto lint and generated-code drift', process.execPath, [join(ROOT, 'tools/proto/generate.mjs'), '--check']);
step('OpenAPI client contract drift', process.execPath, [join(ROOT, 'tools/openapi/generate.mjs'), '--check']);
step('mobile app: native projects in step with its config and plugins', process.execPath, [
  join(ROOT, 'tools/mobile/sync.mjs'),
  '--check',
]);
step('mobile app: tests of its native-project tools', process.execPath, ['--test', 'tools/mobile/*.test.mjs']);
step('platform tools: tests of the cluster’s round-robin proxy', process.execPath, [
  '--test',
  'tools/platform/*.test.mjs',
]);
step('lint, build, type-check of tests, unit and integration tests, i18n extraction', bin('nx'), [
  'run-many',
  '-t',
  'lint',
  'build',
  'typecheck',
  'test',
  'extract-i18n',
  '--outputStyle=static',
]);
step('end-to-end tests through the gateway', bin('nx'), ['run', 'gateway-e2e:e2e', '--outputStyle=static']);
step('end-to-end tests of the local cluster (npm run start:cluster)', bin('nx'), [
  'run',
  'cluster-e2e:e2e',
  '--outputStyle=static',
]);
step('browser end-to-end tests of the web app (Chromium)', bin('nx'), ['run', 'web-e2e:e2e', '--outputStyle=static']);
printTotals();

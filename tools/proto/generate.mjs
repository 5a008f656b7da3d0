#!/usr/bin/env node
// Lints proto/ with buf and generates the ts-proto contracts into libs/contracts/grpc.
// With --check it generates into a temporary folder instead and fails when the
// committed code differs from what the protos generate (drift check run by `npm test`).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const generatedDir = 'libs/contracts/grpc/src/generated';
const buf = join(root, 'node_modules/.bin/buf');
const check = process.argv.includes('--check');

function run(args) {
  execFileSync(buf, args, { cwd: root, stdio: 'inherit' });
}

function listFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((name) => statSync(join(dir, name)).isFile())
    .sort();
}

run(['lint', 'proto']);
if (!check) {
  rmSync(join(root, generatedDir), { recursive: true, force: true });
  run(['generate', 'proto', '--template', 'proto/buf.gen.yaml']);
  console.log(`generated ${generatedDir}`);
  process.exit(0);
}

const scratch = mkdtempSync(join(tmpdir(), 'lexy-proto-'));
try {
  run(['generate', 'proto', '--template', 'proto/buf.gen.yaml', '-o', scratch]);
  const fresh = join(scratch, generatedDir);
  const committed = join(root, generatedDir);
  const freshFiles = listFiles(fresh);
  const committedFiles = listFiles(committed);
  const drift = new Set([
    ...freshFiles.filter((f) => !committedFiles.includes(f)),
    ...committedFiles.filter((f) => !freshFiles.includes(f)),
    ...freshFiles.filter(
      (f) => committedFiles.includes(f) && !readFileSync(join(fresh, f)).equals(readFileSync(join(committed, f))),
    ),
  ]);
  if (drift.size > 0) {
    console.error(`generated contracts are out of date (${relative(root, committed)}):`);
    for (const file of drift) console.error(`  ${file}`);
    console.error('run `npm run proto:generate` and commit the result');
    process.exit(1);
  }
  console.log(`proto lint ok; ${freshFiles.length} generated files match proto/`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// Renders the kustomizations and checks every object: against the Kubernetes API schemas
// (schema.mjs) and the project's rules (policy.mjs). `npm run k8s:check`; the k8s project's
// tests do the same and more.
//
//   node tools/k8s/check.mjs [folder ...]      (default: every overlay under k8s/overlays)
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { policyProblems } from './policy.mjs';
import { render, rendererName } from './render.mjs';
import { validateSchemas } from './schema.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const OVERLAYS_DIR = join(ROOT, 'k8s/overlays');

/** Every overlay folder, by name. */
export function overlays() {
  return readdirSync(OVERLAYS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ name: entry.name, folder: join(OVERLAYS_DIR, entry.name) }));
}

/** Production pins its images; every overlay named "prod…" counts as production. */
export const isProduction = (folder) => /(^|[/\\])prod[^/\\]*$/.test(folder);

/** Renders one folder and returns its objects and problems. */
export async function checkFolder(folder) {
  const objects = render(folder);
  const problems = [
    ...(await validateSchemas(objects)),
    ...policyProblems(objects, { pinnedImages: isProduction(folder) }),
  ];
  return { objects, problems };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const folders = process.argv.length > 2 ? process.argv.slice(2) : overlays().map((overlay) => overlay.folder);
  console.log(`renderer: ${rendererName()}`);
  let failed = false;
  for (const folder of folders) {
    const { objects, problems } = await checkFolder(folder);
    console.log(`${relative(ROOT, folder) || folder}: ${objects.length} objects, ${problems.length} problems`);
    for (const problem of problems) console.log(`  - ${problem}`);
    failed ||= problems.length > 0;
  }
  process.exit(failed ? 1 : 0);
}

// Renders a kustomization folder with the kustomize that ensure-kustomize.mjs found and returns
// its objects as plain JavaScript values.
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { ensureKustomize, MISSING_MESSAGE } from './ensure-kustomize.mjs';

let renderer;

function kustomize() {
  renderer ??= ensureKustomize();
  if (!renderer) throw new Error(MISSING_MESSAGE);
  return renderer;
}

/** Parses a multi-document YAML stream into objects; fails on the first syntax error. */
export function parseManifests(text, source = 'manifest') {
  const objects = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new Error(`${source}: ${document.errors[0].message}`);
    const value = document.toJS();
    if (value !== null && value !== undefined) objects.push(value);
  }
  return objects;
}

/** `kustomize build <folder>`: the rendered objects, or an error carrying kustomize's own message. */
export function render(folder) {
  const { command, buildArgs } = kustomize();
  const result = spawnSync(command, [...buildArgs, folder], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`kustomize could not render ${folder}:\n${result.stderr.trim()}`);
  return parseManifests(result.stdout, folder);
}

/** Which renderer is in use, for reports. */
export function rendererName() {
  const { command, buildArgs, version } = kustomize();
  return `${[command, ...buildArgs].join(' ')} (kustomize ${version})`;
}

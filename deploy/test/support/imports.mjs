// The npm packages that built JavaScript imports: enough for the tests to check that a pruned
// image's manifest holds every package its code loads, without installing it (tsc emits one
// file per source file and keeps each import as written, so the specifiers can be read off).
import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';

/** Static imports and re-exports (`import … from 'x'`, `import 'x'`, `export … from 'x'`) and `import('x')`. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"\n]+)\1/g;

/** The package a bare specifier names: `@scope/name` or `name`, without a subpath. */
export function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The bare, non-builtin specifiers of one file's source text. */
export function bareSpecifiers(source) {
  const found = new Set();
  for (const [, , specifier] of source.matchAll(SPECIFIER)) {
    if (specifier.startsWith('.') || specifier.startsWith('/') || isBuiltin(specifier)) continue;
    found.add(specifier);
  }
  return found;
}

/** Every package the .js files under `folder` import, each with one file that does. */
export function importedPackages(folder) {
  const packages = new Map();
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const path = join(entry.parentPath, entry.name);
    for (const specifier of bareSpecifiers(readFileSync(path, 'utf8'))) {
      const name = packageOf(specifier);
      if (!packages.has(name)) packages.set(name, path);
    }
  }
  return packages;
}

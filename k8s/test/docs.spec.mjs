// docs/operations.md names every Secret and key the manifests reference, so the list an operator
// follows to create them is complete, and shows the overlay patch for Prometheus' namespace that a
// fixture proves.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from '../../tools/k8s/render.mjs';
import { containersOf, podSpecOf, secretReferences, workloads } from '../../tools/k8s/workloads.mjs';

const operations = readFileSync(join(import.meta.dirname, '../../docs/operations.md'), 'utf8');

describe('docs/operations.md', () => {
  const objects = render(join(import.meta.dirname, '../base'));
  const references = workloads(objects).flatMap((workload) =>
    containersOf(podSpecOf(workload)).flatMap(secretReferences),
  );

  it('lists every Secret with each key the manifests read from it', () => {
    expect(references.length).toBeGreaterThan(0);
    for (const { secret, key, variable } of references) {
      const row = operations.split('\n').find((line) => line.startsWith(`| \`${secret}\``));
      expect([secret, key, row?.includes(`\`${key}\``)]).toEqual([secret, key, true]);
      expect([variable, operations.includes(`\`${variable}\``)]).toEqual([variable, true]);
    }
  });

  it('shows how to create each of them', () => {
    for (const secret of new Set(references.map((reference) => reference.secret))) {
      expect(operations).toContain(`create secret generic ${secret} `);
    }
  });

  it('shows the overlay patch that renames the monitoring namespace as the tested fixture has it', () => {
    const fixture = readFileSync(join(import.meta.dirname, 'fixtures/monitoring-renamed/kustomization.yaml'), 'utf8');
    const patches = fixture.slice(fixture.indexOf('patches:')).trim();
    expect(operations).toContain(`\`\`\`yaml\n${patches}\n\`\`\``);
  });
});

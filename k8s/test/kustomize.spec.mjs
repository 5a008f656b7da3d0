// The renderer is found (or installed) by a script, so a fresh clone's `npm test` gets one.
import { findKustomize, MINIMUM_MAJOR, parseKustomizeVersion } from '../../tools/k8s/ensure-kustomize.mjs';

describe('parseKustomizeVersion', () => {
  it.each([
    ['kubectl', 'Client Version: v1.32.4\nKustomize Version: v5.5.0\n', '5.5.0'],
    ['kustomize 5', 'v5.4.3\n', '5.4.3'],
    [
      'kustomize 4',
      '{Version:kustomize/v4.5.7 GitCommit:56d82a8 BuildDate:2022-08-02T16:35:54Z GoOs:linux GoArch:amd64}',
      '4.5.7',
    ],
  ])('reads the version that %s prints', (_tool, output, version) => {
    expect(parseKustomizeVersion(output)?.text).toBe(version);
  });

  it('finds none where there is none', () => {
    expect(parseKustomizeVersion('command not found')).toBeUndefined();
  });
});

describe('findKustomize', () => {
  it(`finds a kustomize ${MINIMUM_MAJOR} or newer on this machine`, () => {
    const found = findKustomize();
    expect(found).toBeDefined();
    expect(Number(found.version.split('.')[0])).toBeGreaterThanOrEqual(MINIMUM_MAJOR);
  });

  it('passes over a KUSTOMIZE that does not run', () => {
    const found = findKustomize({ ...process.env, KUSTOMIZE: '/nonexistent/kustomize' });
    expect(found?.command).not.toBe('/nonexistent/kustomize');
  });
});

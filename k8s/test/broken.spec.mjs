// The checks fail a broken manifest: a fixture overlay of the base with deliberate faults
// (fixtures/broken), and objects that only the schemas can fault.
import { join } from 'node:path';
import { checkFolder } from '../../tools/k8s/check.mjs';
import { policyProblems } from '../../tools/k8s/policy.mjs';
import { parseManifests, render } from '../../tools/k8s/render.mjs';
import { schemaProblems, validateSchemas } from '../../tools/k8s/schema.mjs';

const BROKEN = join(import.meta.dirname, 'fixtures/broken');

describe('a broken overlay', () => {
  let problems;
  beforeAll(async () => {
    ({ problems } = await checkFolder(BROKEN));
  });

  it.each([
    ['a replica count that is not a number', 'Deployment/quotas: /spec/replicas must be integer'],
    [
      'a container without a name',
      'Deployment/quotas: /spec/template/spec/containers/1 must have required property name',
    ],
    ['a Secret with values', 'Secret/lexy-auth: Secret values do not belong in the manifests'],
    ['a secret in a ConfigMap', 'PICKUP_CHALLENGE_SECRET is a secret; reference a Secret instead'],
    ['a writable root filesystem', 'Deployment/auth auth: readOnlyRootFilesystem must be true'],
    ['kept capabilities', 'Deployment/auth auth: capabilities must drop ALL'],
    ['a container without resources', 'Deployment/quotas (unnamed container): resources.limits.memory is missing'],
    ['a missing liveness probe', 'Deployment/files files: livenessProbe is missing'],
    [
      'relay replicas cut off from each other',
      "Deployment/gateway: its replicas cannot reach each other's peer port 50056",
    ],
    [
      'a gateway piping /ws to a relay elsewhere',
      'Deployment/gateway: RELAY_WS_ADDRESS is set (relay:50055): the gateway would pipe /ws to a relay elsewhere',
    ],
    [
      'a call to a port no Service offers',
      'Deployment/gateway: RELAY_WS_ADDRESS names relay:50055, which no Service offers',
    ],
    [
      '/ws with nginx’s default timeouts',
      'Ingress/lexy-ws: /ws needs nginx.ingress.kubernetes.io/proxy-read-timeout of at least 3600',
    ],
  ])('is caught: %s', (_fault, message) => {
    expect(problems.some((problem) => problem.includes(message))).toBe(true);
  });

  it('passes nothing else unnoticed: every problem is one of the faults put in', () => {
    const faulty =
      /Deployment\/quotas|Deployment\/auth auth|Deployment\/files files: livenessProbe|Secret\/lexy-auth|PICKUP_CHALLENGE_SECRET|Deployment\/gateway: (its replicas|RELAY_WS_ADDRESS)|Ingress\/lexy-ws/;
    expect(problems.filter((problem) => !faulty.test(problem))).toEqual([]);
  });
});

describe('the schemas', () => {
  const broken = parseManifests(`
apiVersion: v1
kind: Service
metadata: { name: gateway }
spec:
  type: Cluster-IP
  ports:
    - { name: http, port: eighty }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: gateway }
spec:
  minReplicas: 2
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: open }
spec:
  podSelector: {}
  ingress:
    - ports:
        - { protocol: TCP, port: 8080, endPort: "9000" }
---
apiVersion: example.org/v1
kind: Unknown
metadata: { name: mystery }
`);

  it('fault wrong types, missing fields and unknown enum values', async () => {
    const problems = await validateSchemas(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        'Service/gateway: /spec/ports/0/port must be integer',
        'Service/gateway: /spec/type must be equal to one of the allowed values',
        'HorizontalPodAutoscaler/gateway: /spec must have required property scaleTargetRef',
        'HorizontalPodAutoscaler/gateway: /spec must have required property maxReplicas',
        'NetworkPolicy/open: /spec/ingress/0/ports/0/endPort must be integer',
      ]),
    );
  });

  it('know no kind they were not given: an unknown one fails rather than passing unchecked', async () => {
    expect(await schemaProblems(broken[3])).toEqual([
      'Unknown/mystery: no schema for apiVersion "example.org/v1" kind "Unknown"',
    ]);
  });

  it('pass the base as it is', async () => {
    const objects = render(join(import.meta.dirname, '../base'));
    expect(await validateSchemas(objects)).toEqual([]);
    expect(policyProblems(objects)).toEqual([]);
  });

  it('pin production images: latest is refused there', () => {
    const objects = render(join(import.meta.dirname, '../base'));
    expect(policyProblems(objects, { pinnedImages: true })).toContain(
      'Deployment/gateway gateway: image "registry.example.org/lexy/gateway:latest" must name a release, not latest',
    );
  });
});

describe('rendering', () => {
  it('fails with kustomize’s message on a kustomization it cannot build', () => {
    expect(() => render(join(import.meta.dirname, 'fixtures/missing'))).toThrow(/kustomize could not render/);
  });

  it('fails on YAML it cannot parse', () => {
    expect(() => parseManifests('a: [1, 2', 'bad.yaml')).toThrow(/^bad\.yaml: /);
  });
});

// Views of the NetworkPolicies that the rules in policy.mjs share: which rules admit traffic to a
// workload's pods, which of their ports a rule opens, and whether a caller may reach a port. Ports
// are resolved as the API does, per pod: a number is that port, a name is the pod's container
// port of that name (none: the rule opens nothing there), an empty list is every port.
import { containerPortNumber, ofKind, podLabelsOf, podSpecOf, selects } from './workloads.mjs';

/** The container whose ports the Services, probes and policies of a workload are about. */
export const mainContainer = (workload) => podSpecOf(workload).containers?.[0] ?? {};

/** The NetworkPolicy rules (each with its policy) that apply to the ingress of a workload's pods. */
export function ingressRulesFor(objects, workload) {
  const labels = podLabelsOf(workload);
  return ofKind(objects, 'NetworkPolicy')
    .filter((policy) => (policy.spec?.policyTypes ?? ['Ingress']).includes('Ingress'))
    .filter((policy) => selects(policy.spec?.podSelector, labels))
    .flatMap((policy) => (policy.spec?.ingress ?? []).map((rule) => ({ policy, rule })));
}

/** Whether a rule admits anything from outside the namespace: another namespace, an address block, or anyone. */
export const fromOutside = (rule) =>
  !rule.from?.length || rule.from.some((peer) => peer.namespaceSelector || peer.ipBlock);

const EVERY_PORT = { from: 1, to: 65535 };

/**
 * The ports a rule opens on a container, as ranges `{ from, to }`; undefined when it opens every
 * port (no `ports`). An entry without a port is every port; one with `endPort` a range.
 */
export function openedPorts(rule, container) {
  if (!rule.ports?.length) return undefined;
  return rule.ports.flatMap((entry) => {
    if (entry.port === undefined) return [EVERY_PORT];
    const port = typeof entry.port === 'number' ? entry.port : containerPortNumber(container, entry.port);
    if (port === undefined) return [];
    return [{ from: port, to: entry.endPort ?? port }];
  });
}

/** A range for messages: "port 50051", "ports 9000-9999", or "every port" for undefined. */
export const describePorts = (range) =>
  range === undefined
    ? 'every port'
    : range.from === range.to
      ? `port ${range.from}`
      : `ports ${range.from}-${range.to}`;

function opens(rule, container, port) {
  const ranges = openedPorts(rule, container);
  return ranges === undefined || ranges.some((range) => range.from <= port && port <= range.to);
}

const fromPods = (rule, callerLabels) =>
  !rule.from?.length ||
  rule.from.some((peer) => !peer.namespaceSelector && !peer.ipBlock && selects(peer.podSelector, callerLabels));

/**
 * Whether some policy lets pods with `callerLabels` of the namespace (undefined: something from
 * outside it) reach `port` of a workload's pods.
 */
export function allowed(objects, workload, port, callerLabels) {
  const container = mainContainer(workload);
  return ingressRulesFor(objects, workload).some(
    ({ rule }) =>
      opens(rule, container, port) && (callerLabels === undefined ? fromOutside(rule) : fromPods(rule, callerLabels)),
  );
}

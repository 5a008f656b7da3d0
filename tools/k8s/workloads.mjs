// Small views of rendered Kubernetes objects that the checks share: the pods of workloads, label
// selectors, ports, and the environment a container would get.

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];

export const ofKind = (objects, kind) => objects.filter((object) => object.kind === kind);

export const named = (objects, kind, name) =>
  objects.find((object) => object.kind === kind && object.metadata?.name === name);

export function workloads(objects) {
  return objects.filter((object) => WORKLOAD_KINDS.includes(object.kind));
}

export const podSpecOf = (workload) => workload.spec?.template?.spec ?? {};

export const podLabelsOf = (workload) => workload.spec?.template?.metadata?.labels ?? {};

/** Every container of a pod, init containers first, each with a `role` of "init" or "main". */
export function containersOf(podSpec) {
  return [
    ...(podSpec.initContainers ?? []).map((container) => ({ ...container, role: 'init' })),
    ...(podSpec.containers ?? []).map((container) => ({ ...container, role: 'main' })),
  ];
}

/** Whether a `matchLabels`-style selector (or a plain map, as a Service has) selects these labels. */
export function selects(selector, labels) {
  const wanted = selector?.matchLabels ?? selector ?? {};
  if (selector?.matchExpressions?.length) return false; // not used here; never guess
  return Object.entries(wanted).every(([key, value]) => labels?.[key] === value);
}

/** The container port a Service or probe port (number or name) means; undefined when none. */
export function containerPortNumber(container, port) {
  for (const candidate of container.ports ?? []) {
    if (candidate.containerPort === port || (typeof port === 'string' && candidate.name === port)) {
      return candidate.containerPort;
    }
  }
  return undefined;
}

/** The workload whose pods a Service (or any selector) picks; the first one. */
export function workloadSelectedBy(objects, selector) {
  return workloads(objects).find((workload) => workload.kind !== 'Job' && selects(selector, podLabelsOf(workload)));
}

/**
 * The environment a container would start with: its envFrom ConfigMaps, then its env. Secret
 * references are answered by `secretValue(name, key, optional)` (undefined leaves the variable
 * out), downward-API fields by `fieldValue(path)`, and `$(NAME)` references are expanded as the
 * kubelet does.
 */
export function containerEnvironment(objects, container, { secretValue, fieldValue = () => undefined }) {
  const env = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, named(objects, 'ConfigMap', source.configMapRef.name)?.data ?? {});
  }
  for (const variable of container.env ?? []) {
    let value;
    if ('value' in variable)
      value = String(variable.value).replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (all, name) => env[name] ?? all);
    else if (variable.valueFrom?.secretKeyRef) {
      const { name, key, optional } = variable.valueFrom.secretKeyRef;
      value = secretValue(name, key, optional === true);
    } else if (variable.valueFrom?.configMapKeyRef) {
      const { name, key } = variable.valueFrom.configMapKeyRef;
      value = named(objects, 'ConfigMap', name)?.data?.[key];
    } else if (variable.valueFrom?.fieldRef) value = fieldValue(variable.valueFrom.fieldRef.fieldPath);
    if (value !== undefined) env[variable.name] = value;
  }
  return env;
}

/** Every Secret reference of a container: `{ secret, key, optional, variable }`. */
export function secretReferences(container) {
  const references = [];
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    if (ref)
      references.push({ secret: ref.name, key: ref.key, optional: ref.optional === true, variable: variable.name });
  }
  for (const source of container.envFrom ?? []) {
    if (source.secretRef)
      references.push({ secret: source.secretRef.name, key: '*', optional: source.secretRef.optional === true });
  }
  return references;
}

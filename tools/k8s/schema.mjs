// Validates Kubernetes objects against the API's JSON schemas, offline: the kubernetes-models
// package carries the schemas of the Kubernetes OpenAPI, compiled into validators (ajv). Types,
// required fields, enums and formats are checked; like the API's own schemas (and kubeconform
// without -strict), they let fields they do not name pass, so ./policy.mjs checks the fields that
// matter to this project by name.

/** The module of kubernetes-models that holds an apiVersion's models. */
function modelModule(apiVersion) {
  if (!/^([a-z0-9.-]+\/)?v\d+((alpha|beta)\d+)?$/.test(apiVersion ?? '')) return undefined;
  return `kubernetes-models/${apiVersion}`;
}

const modules = new Map();

async function modelFor(apiVersion, kind) {
  const name = modelModule(apiVersion);
  if (!name) return undefined;
  if (!modules.has(name)) modules.set(name, await import(name).catch(() => null));
  const module = modules.get(name);
  const model = module?.[kind];
  return typeof model === 'function' && typeof model.prototype?.validate === 'function' ? model : undefined;
}

/** Short name of an object for messages: Kind/name. */
export function describe(object) {
  return `${object?.kind ?? '(no kind)'}/${object?.metadata?.name ?? '(no name)'}`;
}

/**
 * The schema problems of one object, as messages ("Deployment/x: /spec/replicas must be integer").
 * An apiVersion and kind the schemas do not know is a problem too: nothing passes unchecked.
 */
export async function schemaProblems(object) {
  const model = await modelFor(object?.apiVersion, object?.kind);
  if (!model) return [`${describe(object)}: no schema for apiVersion "${object?.apiVersion}" kind "${object?.kind}"`];
  try {
    new model(object).validate();
    return [];
  } catch (error) {
    const details = error.errors ?? [{ instancePath: '', message: error.message }];
    return details.map((detail) => {
      const where = detail.instancePath || '/';
      const extra = detail.params?.missingProperty ? ` (${detail.params.missingProperty})` : '';
      return `${describe(object)}: ${where} ${detail.message}${detail.keyword === 'required' ? '' : extra}`;
    });
  }
}

/** The schema problems of many objects. */
export async function validateSchemas(objects) {
  const problems = [];
  for (const object of objects) problems.push(...(await schemaProblems(object)));
  return problems;
}

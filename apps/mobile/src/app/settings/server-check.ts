import { normalizeServerUrl } from '../platform/server-url';

/** What a look at a server found: ready to use, partly down, not a Lexy server, or not reachable. */
export type ServerCheck =
  | { outcome: 'ok'; origin: string }
  | { outcome: 'down'; origin: string; parts: string[] }
  | { outcome: 'unreachable'; origin: string }
  | { outcome: 'unexpected'; origin: string; status: number }
  | { outcome: 'invalid' };

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * Asks the server a person typed whether it is ready: `GET <origin>/api/v1/health` answers 200
 * with `{status: "ok"}` when every part behind the gateway answers, 503 with the error envelope
 * naming the parts that are down otherwise (docs/api.md). A request that gets no answer at all
 * (no network, no such host, or a gateway that does not let this app's origin in through CORS)
 * is "unreachable": the browser does not tell those apart.
 */
export async function checkServer(
  typed: string,
  fetchImpl: Fetch = (input, init) => fetch(input, init),
): Promise<ServerCheck> {
  let origin: string;
  try {
    origin = normalizeServerUrl(typed);
  } catch {
    return { outcome: 'invalid' };
  }
  let response: Response;
  try {
    response = await fetchImpl(`${origin}/api/v1/health`, { headers: { Accept: 'application/json' } });
  } catch {
    return { outcome: 'unreachable', origin };
  }
  const body = await response.json().catch(() => null);
  if (response.status === 200 && isHealthy(body)) return { outcome: 'ok', origin };
  if (response.status === 503) return { outcome: 'down', origin, parts: partsDown(body) };
  // A 200 that is not our health answer (a web page served at that path) is no Lexy server either.
  return { outcome: 'unexpected', origin, status: response.status };
}

function isHealthy(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { status?: unknown }).status === 'ok';
}

/** The envelope's details are `{auth: "up", files: "down", …}`. */
function partsDown(body: unknown): string[] {
  const details = (body as { error?: { details?: unknown } } | null)?.error?.details;
  if (typeof details !== 'object' || details === null) return [];
  return Object.entries(details)
    .filter(([, state]) => state === 'down')
    .map(([part]) => part)
    .sort();
}

/** The platform's parts in a person's words; an unknown part keeps its own name. */
function partName(part: string): string {
  switch (part) {
    case 'auth':
      return $localize`:@@mobile.settings.partAuth:accounts and sign-in`;
    case 'files':
      return $localize`:@@mobile.settings.partFiles:files`;
    case 'quotas':
      return $localize`:@@mobile.settings.partQuotas:limits and usage`;
    case 'relay':
      return $localize`:@@mobile.settings.partRelay:device transfers`;
    case 'storage':
      return $localize`:@@mobile.settings.partStorage:file storage`;
    default:
      return part;
  }
}

/** The check's outcome in a sentence. */
export function describeServerCheck(check: ServerCheck): string {
  switch (check.outcome) {
    case 'ok':
      return $localize`:@@mobile.settings.ok:${check.origin}:origin: is ready to use.`;
    case 'down': {
      if (check.parts.length === 0) {
        return $localize`:@@mobile.settings.downUnknown:${check.origin}:origin: answers, but is not ready right now. Try again later.`;
      }
      const parts = check.parts.map(partName).join(', ');
      return $localize`:@@mobile.settings.down:${check.origin}:origin: answers, but these parts are down: ${parts}:parts:. Try again later.`;
    }
    case 'unreachable':
      return $localize`:@@mobile.settings.unreachable:Cannot reach ${check.origin}:origin:. Check the address and your connection.`;
    case 'unexpected':
      return $localize`:@@mobile.settings.unexpected:${check.origin}:origin: does not answer like a Lexy Files server (HTTP ${check.status}:status:).`;
    case 'invalid':
      return $localize`:@@mobile.settings.invalid:This is not a web address. Enter one such as files.example.org.`;
  }
}

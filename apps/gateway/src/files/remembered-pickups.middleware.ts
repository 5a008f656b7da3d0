import type { NextFunction, Request, Response } from 'express';
import { CHALLENGE_HEADER } from '../pickup-guard/pickup-challenges.js';
import type { PickupAdmission } from '../pickup-guard/pickup-admission.js';
import { pickupSources } from '../pickup-guard/pickup-sources.js';
import type { RequestWithCaller } from '../identity/caller.js';
import type { ClientAddresses } from '../identity/client-addresses.js';
import { nameRoute } from '../metrics/http-metrics.middleware.js';
import { PIN_HEADER } from './files.controller.js';
import type { PickupViewCache } from './pickup-view-cache.js';

const LOOKUP_PATH = /^\/api\/v1\/files\/pickup\/([^/]+)$/;
/** The route template of the lookup, as the controller's route is labelled in the metrics. */
const PICKUP_ROUTE = '/api/v1/files/pickup/:code';

/**
 * The hot path of `GET /files/pickup/:code` (FilesController.pickup), in front of Nest's
 * routing: a tokenless lookup of a code whose answer the gateway remembers, with no PIN, link
 * token or challenge, needs neither the guards' token checks nor the files service — only the
 * pickup limits. It is answered here with what the controller would answer, after the same
 * admission. Everything else, including every refusal, goes on to the controller, which
 * decides again and answers in the envelope (the admission check only reads, so asking twice
 * is harmless). Nest's pipeline costs several times the rest of such a lookup (ADR 0006).
 */
export function rememberedPickupsMiddleware(
  cache: PickupViewCache,
  admission: PickupAdmission,
  addresses: ClientAddresses,
) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const code = request.method === 'GET' ? rememberedCode(request) : undefined;
    const view = code === undefined ? undefined : cache.get(code);
    if (!view) return next();
    // Tokenless, so no user: the caller CallerGuard would name is the address (and device).
    const tokenless = request as RequestWithCaller;
    // A refusal goes on to the controller, which asks again and counts it then.
    admission.admit(tokenless, pickupSources(tokenless, addresses.keyOf(request)), { countRefusals: false }).then(
      () => {
        nameRoute(response, PICKUP_ROUTE);
        response.setHeader('Cache-Control', 'no-store');
        response.status(200).json({ file: view });
      },
      () => next(),
    );
  };
}

/** The code of a lookup this path may answer, decoded as Nest decodes `:code`. */
function rememberedCode(request: Request): string | undefined {
  const match = LOOKUP_PATH.exec(request.path);
  if (!match?.[1]) return undefined;
  const headers = request.headers;
  if (headers.authorization !== undefined || headers[PIN_HEADER] !== undefined) return undefined;
  if (headers[CHALLENGE_HEADER] !== undefined || request.query['t'] !== undefined) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

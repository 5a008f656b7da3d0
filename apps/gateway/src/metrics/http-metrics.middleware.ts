import { statusClass } from '@lexy/server-metrics';
import type { NextFunction, Request, Response } from 'express';
import type { GatewayMetrics } from './gateway-metrics.js';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const ROUTE_LOCAL = 'metricsRoute';

/** Names the route of a request that a middleware answers before Nest's routing (the remembered pickups). */
export function nameRoute(response: Response, route: string): void {
  response.locals[ROUTE_LOCAL] = route;
}

/**
 * The route label: the template of the route that answered (`/api/v1/files/:id`), never the
 * path itself, whose codes and ids would make one series per request and put them in the
 * metrics. Requests no route answered are `unmatched` under /api, else `web-app` (static
 * files and the app's pages); CORS preflights answered by their middleware are `preflight`.
 */
export function routeLabel(request: Request, response: Response): string {
  const named: unknown = response.locals[ROUTE_LOCAL];
  if (typeof named === 'string') return named;
  const template: unknown = (request.route as { path?: unknown } | undefined)?.path;
  if (typeof template === 'string') return `${request.baseUrl}${template}`;
  if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined)
    return 'preflight';
  return request.originalUrl.startsWith('/api/') ? 'unmatched' : 'web-app';
}

/**
 * Times every HTTP request from its arrival to the end of its response (a download: its last
 * byte): lexy_http_request_duration_seconds{method, route, status_class}. A response that did not
 * end whole (the client left, a download was cut) is `aborted`. First in the chain, so that
 * whatever answers is timed.
 */
export function httpMetricsMiddleware(metrics: GatewayMetrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const end = metrics.requestDuration.startTimer();
    response.once('close', () => {
      end({
        method: KNOWN_METHODS.has(request.method) ? request.method : 'other',
        route: routeLabel(request, response),
        status_class: response.writableFinished ? statusClass(response.statusCode) : 'aborted',
      });
    });
    next();
  };
}

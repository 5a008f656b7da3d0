import { Controller, Get, type INestApplication, type Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { AdminOnly } from '../src/admin/admin-only.js';
import { loadGatewayConfig } from '../src/config/gateway.config.js';
import { createGatewayApp } from '../src/create-app.js';
import { ADMIN_GROUP, REQUIRE_GROUPS, REQUIRE_TOKEN } from '../src/identity/caller.js';
import { CallerGuard } from '../src/identity/caller.guard.js';
import { GroupGuard } from '../src/identity/group.guard.js';

// security-cases AZ-02: every route of the real gateway, listed through Nest's discovery, and
// every one under /admin must carry the admin guard. A new admin route without it fails here.

interface Route {
  path: string;
  handler: string;
  requiresToken: boolean;
  groups: string[] | undefined;
  guards: unknown[];
}

const joinPath = (...parts: Array<string | string[] | undefined>) =>
  parts
    .map((part) => (Array.isArray(part) ? part[0] : part) ?? '')
    .join('/')
    .replace(/\/+/g, '/')
    .replace(/^\/?/, '/')
    .replace(/\/$/, '');

/** The routes of these controller classes, with the metadata the guards read (handler over class). */
function routesOf(controllers: Array<Type<unknown>>): Route[] {
  const scanner = new MetadataScanner();
  return controllers.flatMap((controller) => {
    const prefix = Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined;
    const prototype = controller.prototype as Record<string, unknown>;
    return scanner
      .getAllMethodNames(prototype)
      .filter((name) => Reflect.getMetadata(METHOD_METADATA, prototype[name] as object) !== undefined)
      .map((name) => {
        const handler = prototype[name] as object;
        const read = <T>(key: string) =>
          (Reflect.getMetadata(key, handler) as T | undefined) ??
          (Reflect.getMetadata(key, controller) as T | undefined);
        return {
          path: joinPath(prefix, Reflect.getMetadata(PATH_METADATA, handler) as string | undefined),
          handler: `${controller.name}.${name}`,
          requiresToken: read<boolean>(REQUIRE_TOKEN) === true,
          groups: read<string[]>(REQUIRE_GROUPS),
          guards: [
            ...((Reflect.getMetadata(GUARDS_METADATA, controller) as unknown[] | undefined) ?? []),
            ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[] | undefined) ?? []),
          ],
        };
      });
  });
}

/** The admin routes that an anonymous or ordinary caller could reach. */
function unguardedAdminRoutes(routes: Route[]): string[] {
  return routes
    .filter((route) => route.path === '/admin' || route.path.startsWith('/admin/'))
    .filter(
      (route) =>
        !route.requiresToken ||
        route.groups?.length !== 1 ||
        route.groups[0] !== ADMIN_GROUP ||
        !route.guards.includes(CallerGuard) ||
        !route.guards.includes(GroupGuard),
    )
    .map((route) => route.handler);
}

describe('admin route inventory (AZ-02)', () => {
  let app: INestApplication;
  let routes: Route[];

  beforeAll(async () => {
    // Built as the OpenAPI generator builds it: created, never listening or initialised.
    app = await createGatewayApp(loadGatewayConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent' }));
    const discovery = new DiscoveryService(app.get(ModulesContainer));
    const controllers = discovery
      .getControllers()
      .map((wrapper) => wrapper.metatype)
      .filter((metatype): metatype is Type<unknown> => typeof metatype === 'function');
    routes = routesOf(controllers);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('finds the admin API among the gateway’s routes', () => {
    const admin = routes.filter((route) => route.path.startsWith('/admin/')).map((route) => route.path);
    expect(new Set(admin)).toEqual(
      new Set([
        '/admin/users',
        '/admin/users/:id',
        '/admin/files',
        '/admin/files/:id',
        '/admin/files/:id/restore',
        '/admin/groups',
        '/admin/groups/:name',
        '/admin/stats',
        '/admin/audit',
      ]),
    );
    expect(routes.length).toBeGreaterThan(admin.length);
  });

  it('guards every admin route: token required, group admin, CallerGuard and GroupGuard', () => {
    expect(unguardedAdminRoutes(routes)).toEqual([]);
  });

  it('would flag an admin route that lacks the guard', () => {
    @Controller('admin/forgotten')
    class ForgottenController {
      @Get()
      list() {
        return [];
      }
    }
    @Controller('admin/guarded')
    @AdminOnly()
    class GuardedController {
      @Get()
      list() {
        return [];
      }
    }
    expect(unguardedAdminRoutes(routesOf([ForgottenController, GuardedController]))).toEqual([
      'ForgottenController.list',
    ]);
  });
});

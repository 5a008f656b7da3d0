import { commonV1 } from '@lexy/contracts-grpc';
import type { ErrorCode } from '@lexy/server-errors';
import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { VerifiedToken } from './token-verifier.js';

export type Caller = commonV1.Caller;
export const { IdentityKind } = commonV1;

/** What CallerGuard leaves on the request: the caller, and the verified token if one was sent. */
export interface RequestWithCaller extends Request {
  caller?: Caller;
  user?: VerifiedToken;
}

/** Marks a route that needs an access token (anonymous or registered), not just an address. */
export const REQUIRE_TOKEN = 'lexy:require-token';
export const RequireToken = () => SetMetadata(REQUIRE_TOKEN, true);

/** The group of the people who run the platform. */
export const ADMIN_GROUP = 'admin';

/** Marks a route open only to callers of these groups (checked by GroupGuard). */
export const REQUIRE_GROUPS = 'lexy:require-groups';
export const RequireGroups = (...groups: string[]) => SetMetadata(REQUIRE_GROUPS, groups);

/** The code GroupGuard refuses others with on a route (FORBIDDEN unless a route says otherwise). */
export const REFUSED_WITH = 'lexy:refused-with';
export const RefusedWith = (code: ErrorCode) => SetMetadata(REFUSED_WITH, code);

function fromRequest<T>(pick: (request: RequestWithCaller) => T | undefined, what: string) {
  return createParamDecorator((_data: unknown, context: ExecutionContext): T => {
    const value = pick(context.switchToHttp().getRequest<RequestWithCaller>());
    if (value === undefined) throw new Error(`CallerGuard did not provide the ${what} for this route`);
    return value;
  });
}

/** Injects the verified access token of a route marked RequireToken. */
export const CurrentToken = fromRequest((request) => request.user, 'access token');

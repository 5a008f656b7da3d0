import { commonV1 } from '@lexy/contracts-grpc';
import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

export type Caller = commonV1.Caller;
export const { IdentityKind } = commonV1;

/** The request property where CallerGuard leaves the resolved caller. */
export interface RequestWithCaller extends Request {
  caller?: Caller;
}

/** Marks a route that needs an access token (anonymous or registered), not just an address. */
export const REQUIRE_TOKEN = 'lexy:require-token';
export const RequireToken = () => SetMetadata(REQUIRE_TOKEN, true);

/** Injects the caller that CallerGuard resolved for this request. */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<RequestWithCaller>().caller;
  if (!caller) throw new Error('CallerGuard did not run for this route');
  return caller;
});

import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { REFUSED_WITH, REQUIRE_GROUPS, type RequestWithCaller } from './caller.js';

/** Role guard: a route marked RequireGroups('admin') is open only to those groups (after CallerGuard). */
@Injectable()
export class GroupGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const groups = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRE_GROUPS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!groups) return true;
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    if (!request.user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'An access token is required');
    if (groups.includes(request.caller?.group ?? '')) return true;
    const code = this.reflector.getAllAndOverride<ErrorCode | undefined>(REFUSED_WITH, [
      context.getHandler(),
      context.getClass(),
    ]);
    throw new DomainError(code ?? ErrorCode.FORBIDDEN, 'You are not allowed to do this');
  }
}

import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { catchError, from, switchMap, throwError, type Observable } from 'rxjs';
import type { RequestWithCaller } from '../identity/caller.js';
import { ClientAddresses } from '../identity/client-addresses.js';
import { PickupAdmission } from './pickup-admission.js';
import { carriesDownloadPass, carriesLinkToken, pickupSources } from './pickup-sources.js';

/**
 * Puts a lookup route under the pickup-code policy (PickupAdmission): admitted before the
 * handler runs, charged a failure when it answers 404. Runs after the guards, so CallerGuard
 * has already named the caller. A request with a share-link token or a download pass skips both.
 */
@Injectable()
export class PickupLimitsInterceptor implements NestInterceptor {
  constructor(
    private readonly admission: PickupAdmission,
    private readonly addresses: ClientAddresses,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    if (carriesLinkToken(request) || carriesDownloadPass(request)) return next.handle();
    const sources = pickupSources(request, this.addresses.keyOf(request));
    return from(this.admission.admit(request, sources)).pipe(
      switchMap(() => next.handle()),
      catchError((error: unknown) =>
        error instanceof DomainError && error.code === ErrorCode.PICKUP_CODE_NOT_FOUND
          ? from(this.admission.chargeFailure(sources)).pipe(switchMap(() => throwError(() => error)))
          : throwError(() => error),
      ),
    );
  }
}

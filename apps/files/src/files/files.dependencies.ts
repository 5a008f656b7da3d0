import type { authV1, quotasV1 } from '@lexy/contracts-grpc';
import type { PromiseClient } from '@lexy/server-grpc';

// Injection tokens of the service's collaborators, so tests can put fakes in their place.

/** The quotas service (reservations, settling, group limits). */
export const QUOTAS_CLIENT = Symbol('QUOTAS_CLIENT');
export type QuotasClient = PromiseClient<quotasV1.QuotaServiceClient>;

/** The auth service's user directory (an owner's current group), called on an administrator's behalf. */
export const USERS_CLIENT = Symbol('USERS_CLIENT');
export type UsersClient = Pick<PromiseClient<authV1.UserAdminServiceClient>, 'getUsers'>;

/** The alphabet and length of pickup codes (a tiny space lets tests exhaust it). */
export const PICKUP_CODE_SPACE = Symbol('PICKUP_CODE_SPACE');

/** The INTERNAL_CALLER_SECRET, to verify the caller token of the identity whose files AdoptFiles moves. */
export const CALLER_TOKEN_SECRET = Symbol('CALLER_TOKEN_SECRET');

/** Signs and checks download tickets (DownloadTickets). */
export const DOWNLOAD_TICKETS = Symbol('DOWNLOAD_TICKETS');

/** The clock of owner views (a file is expired for its owner once its retention ended). */
export const CLOCK = Symbol('CLOCK');

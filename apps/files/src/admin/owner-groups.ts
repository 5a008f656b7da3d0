import { Inject, Injectable } from '@nestjs/common';
import { USERS_CLIENT, type UsersClient } from '../files/files.dependencies.js';

/** The group of every caller without an account (the gateway's tokenless callers). */
const ANONYMOUS_GROUP = 'anonymous';
/** Owner keys the gateway derives for callers without a token: an address, or a device at an address. */
const TOKENLESS_OWNER = /^(ip|ip6|fp):/;

/**
 * An owner's current group, for the limits of an administrator's action on its files (the
 * retention of a restore). Files rows keep no group: a user's group is the auth service's,
 * and may have changed since the upload.
 */
@Injectable()
export class OwnerGroups {
  constructor(@Inject(USERS_CLIENT) private readonly users: UsersClient) {}

  /**
   * Asks the auth service on the administrator's behalf (its caller token travels with the
   * call). An owner it does not know has the limits of a caller without an account.
   */
  async groupOf(ownerId: string): Promise<string> {
    if (TOKENLESS_OWNER.test(ownerId)) return ANONYMOUS_GROUP;
    const { items } = await this.users.getUsers({ userIds: [ownerId] });
    return items.find((user) => user.id === ownerId)?.group ?? ANONYMOUS_GROUP;
  }
}

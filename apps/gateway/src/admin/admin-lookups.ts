import { commonV1 } from '@lexy/contracts-grpc';
import type { UserAdminClient } from '../grpc/grpc-clients.js';

/** GetUsers answers at most this many ids at once. */
const MAX_IDS = 200;

export function sortOrderOf(order: 'asc' | 'desc' | undefined): commonV1.SortOrder {
  if (order === 'asc') return commonV1.SortOrder.SORT_ORDER_ASC;
  if (order === 'desc') return commonV1.SortOrder.SORT_ORDER_DESC;
  return commonV1.SortOrder.SORT_ORDER_UNSPECIFIED;
}

/**
 * Emails of the accounts among these ids (file owners, audit actors), to show people rather
 * than ids. Owner keys that are not accounts ("ip:…") are simply not found.
 */
export async function emailsOf(users: UserAdminClient, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((id) => id !== '' && !id.includes(':')))];
  const emails = new Map<string, string>();
  for (let start = 0; start < unique.length; start += MAX_IDS) {
    const { items } = await users.getUsers({ userIds: unique.slice(start, start + MAX_IDS) });
    for (const user of items) if (user.email) emails.set(user.id, user.email);
  }
  return emails;
}

/**
 * The owner key that `?owner=` names: an email is looked up (exact, case-insensitive); a user id
 * or an owner key such as "ip:203.0.113.7" is taken as it is. Null when no account has the email.
 */
export async function ownerKeyOf(users: UserAdminClient, owner: string): Promise<string | null> {
  if (!owner.includes('@')) return owner;
  const wanted = owner.trim().toLowerCase();
  const { items } = await users.listUsers({
    query: wanted,
    group: '',
    sort: 'email',
    order: commonV1.SortOrder.SORT_ORDER_ASC,
    page: { limit: 100, cursor: '' },
  });
  return items.find((user) => user.email.toLowerCase() === wanted)?.id ?? null;
}

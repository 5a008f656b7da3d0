import type { GroupName } from '@lexy/client-api';

/** The groups in the API's order (docs/api.md: anonymous, normal, vip, admin). */
export const GROUPS: readonly GroupName[] = ['anonymous', 'normal', 'vip', 'admin'];

export { groupName } from '../../account/account-view';

import type { authV1 } from '@lexy/contracts-grpc';
import { strictMock } from '../../test/support/strict-mock.js';
import type { UsersClient } from '../files/files.dependencies.js';
import { OwnerGroups } from './owner-groups.js';

const USER_ID = '0190f4a2-0000-7000-8000-00000000000a';

function aUser(overrides: Partial<authV1.User> = {}): authV1.User {
  return { id: USER_ID, group: 'vip', createdAt: undefined, email: '', displayName: '', disabled: false, ...overrides };
}

describe('OwnerGroups', () => {
  it('asks the auth service for a user’s current group', async () => {
    const users = strictMock<UsersClient>('users');
    users.getUsers.mockResolvedValue({ items: [aUser()] });
    expect(await new OwnerGroups(users).groupOf(USER_ID)).toBe('vip');
    expect(users.getUsers).toHaveBeenCalledWith({ userIds: [USER_ID] });
  });

  it('gives an owner the auth service does not know the anonymous group', async () => {
    const users = strictMock<UsersClient>('users');
    users.getUsers.mockResolvedValue({ items: [aUser({ id: 'someone-else' })] });
    expect(await new OwnerGroups(users).groupOf(USER_ID)).toBe('anonymous');
  });

  it.each(['ip:203.0.113.7', 'ip6:2001:0db8:0000:0001::/64', `fp:${'a'.repeat(40)}`])(
    'knows without asking that the tokenless owner %s is anonymous',
    async (ownerId) => {
      // A strict mock throws on any call.
      expect(await new OwnerGroups(strictMock<UsersClient>('users')).groupOf(ownerId)).toBe('anonymous');
    },
  );
});

import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { RouterLink } from '@angular/router';
import type { AdminUserView, GroupName } from '@lexy/client-api';
import { SessionStore } from '@lexy/client-state';
import { ADMIN_API, AdminErrors } from '../admin-api';
import { ConfirmDialog } from '../shared/confirm-dialog';
import { debounced } from '../shared/debounced';
import { GROUPS, groupName } from '../shared/group-names';
import { Outcome } from '../shared/outcome';
import { PagedList } from '../shared/paged-list';
import { Pager } from '../shared/pager';
import { Sorting } from '../shared/sorting';

export const USERS_PAGE_SIZE = 25;

type DisabledFilter = '' | 'true' | 'false';

const LABELS = {
  group: (email: string) => $localize`:@@admin.users.groupOf:Group of ${email}:email:`,
  disable: (email: string) => $localize`:@@admin.users.disableLabel:Disable ${email}:email:`,
  enable: (email: string) => $localize`:@@admin.users.enableLabel:Enable ${email}:email:`,
  files: (email: string) => $localize`:@@admin.users.filesLabel:Files of ${email}:email:`,
};

/** Registered accounts: search, filter, sort and page them; change a group; disable or enable. */
@Component({
  selector: 'lexy-admin-users-page',
  imports: [DatePipe, RouterLink, ConfirmDialog, Pager],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './users-page.html',
  styleUrls: ['../shared/admin-table.css'],
})
export class UsersPage {
  private readonly api = inject(ADMIN_API);
  private readonly errors = inject(AdminErrors);
  private readonly session = inject(SessionStore);
  /** The admin's own account: they cannot disable or demote themself (the API refuses it too). */
  protected readonly myId = computed(() => this.session.user()?.id ?? null);
  protected readonly groups = GROUPS;
  protected readonly groupName = groupName;
  protected readonly labels = LABELS;
  /** How a user is named on the page: the email of the account (its id if it has none). */
  protected readonly who = (user: AdminUserView) => user.email ?? user.id;
  protected readonly disableLabel = $localize`:@@admin.users.confirmDisable:Disable account`;
  protected readonly enableLabel = $localize`:@@admin.users.confirmEnable:Enable account`;

  protected readonly searchText = signal('');
  private readonly search = debounced(this.searchText);
  protected readonly group = signal<GroupName | ''>('');
  protected readonly disabled = signal<DisabledFilter>('');
  protected readonly sorting = new Sorting<'createdAt' | 'email'>(
    { sort: 'createdAt', order: 'desc' },
    { createdAt: 'desc', email: 'asc' },
  );
  protected readonly list = new PagedList<AdminUserView>(
    (cursor) =>
      this.api.users({
        query: this.search().trim(),
        group: this.group() || undefined,
        disabled: this.disabled() === '' ? undefined : this.disabled() === 'true',
        ...this.sorting.state(),
        limit: USERS_PAGE_SIZE,
        cursor,
      }),
    (error) => this.errors.describe(error),
  );
  protected readonly outcome = new Outcome();
  /** Users with a change under way, whose controls wait for it. */
  protected readonly busy = signal<ReadonlySet<string>>(new Set());
  /** The user the confirmation dialog asks about. */
  protected readonly asked = signal<AdminUserView | null>(null);
  protected readonly question = computed(() => {
    const user = this.asked();
    if (!user) return '';
    return user.disabled
      ? $localize`:@@admin.users.enableQuestion:Enable ${this.who(user)}:email:?`
      : $localize`:@@admin.users.disableQuestion:Disable ${this.who(user)}:email:?`;
  });
  private readonly dialog = viewChild.required(ConfirmDialog);

  constructor() {
    // New filters or a new sort start again from the first page.
    effect(() => {
      this.search();
      this.group();
      this.disabled();
      this.sorting.state();
      untracked(() => void this.list.first());
    });
  }

  protected setGroupFilter(value: string): void {
    this.group.set(value as GroupName | '');
  }

  protected setDisabledFilter(value: string): void {
    this.disabled.set(value as DisabledFilter);
  }

  /** Shown at once, saved in the background; put back as it was, and said why, if the save fails. */
  protected async changeGroup(user: AdminUserView, select: HTMLSelectElement): Promise<void> {
    const group = select.value as GroupName;
    const before = user.group;
    if (group === before) return;
    this.outcome.clear();
    this.replace({ ...user, group });
    await this.whileBusy(user.id, async () => {
      try {
        const { user: saved } = await this.api.updateUser(user.id, { group });
        this.replace(saved);
        this.outcome.succeed(
          $localize`:@@admin.users.groupChanged:${this.who(user)}:email: is now in the group ${groupName(saved.group)}:group:.`,
        );
      } catch (error) {
        this.replace({ ...user, group: before });
        select.value = before;
        this.outcome.fail(
          $localize`:@@admin.users.groupNotChanged:The group of ${this.who(user)}:email: was not changed: ${this.errors.describe(error)}:reason:`,
        );
      }
    });
  }

  protected async toggleDisabled(user: AdminUserView): Promise<void> {
    this.asked.set(user);
    const confirmed = await this.dialog().ask();
    if (!confirmed) return;
    this.outcome.clear();
    await this.whileBusy(user.id, async () => {
      try {
        const { user: saved } = await this.api.updateUser(user.id, { disabled: !user.disabled });
        this.replace(saved);
        this.outcome.succeed(
          saved.disabled
            ? $localize`:@@admin.users.disabled:${this.who(user)}:email: is disabled and signed out everywhere.`
            : $localize`:@@admin.users.enabled:${this.who(user)}:email: can sign in again.`,
        );
      } catch (error) {
        this.outcome.fail(this.errors.describe(error));
      }
    });
  }

  protected isBusy(user: AdminUserView): boolean {
    return this.busy().has(user.id);
  }

  private replace(user: AdminUserView): void {
    this.list.update((users) => users.map((each) => (each.id === user.id ? user : each)));
  }

  private async whileBusy(id: string, action: () => Promise<void>): Promise<void> {
    this.busy.update((busy) => new Set(busy).add(id));
    try {
      await action();
    } finally {
      this.busy.update((busy) => {
        const left = new Set(busy);
        left.delete(id);
        return left;
      });
    }
  }
}

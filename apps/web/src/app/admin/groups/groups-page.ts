import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import type { GroupView } from '@lexy/client-api';
import { ADMIN_API, AdminErrors } from '../admin-api';
import { GroupEditor } from './group-editor';

/** Every group's limits, one editor each; a change applies to what begins afterwards. */
@Component({
  selector: 'lexy-admin-groups-page',
  imports: [GroupEditor],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1 i18n="@@admin.groups.title">Groups and limits</h1>
    <p class="muted" i18n="@@admin.groups.intro">
      MB and GB are decimal (10⁶ and 10⁹ bytes). A change applies to uploads begun afterwards, to running downloads'
      speed within seconds, and to the retention of files stored afterwards.
    </p>
    @if (error(); as error) {
      <p role="alert" class="alert">{{ error }}</p>
    }
    @if (groups(); as groups) {
      <div class="editors">
        @for (group of groups; track group.name) {
          <lexy-admin-group-editor [group]="group" />
        }
      </div>
    } @else if (!error()) {
      <p role="status" i18n="@@admin.groups.loading">Loading the groups…</p>
    }
  `,
  styles: `
    .editors {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(min(100%, 30rem), 1fr));
      gap: 1rem;
    }
  `,
})
export class GroupsPage {
  private readonly api = inject(ADMIN_API);
  private readonly errors = inject(AdminErrors);
  protected readonly groups = signal<GroupView[] | null>(null);
  protected readonly error = signal<string | null>(null);

  constructor() {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.groups.set((await this.api.groups()).items);
    } catch (error) {
      this.error.set(this.errors.describe(error));
    }
  }
}

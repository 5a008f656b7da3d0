import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  linkedSignal,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { formatBytes, type AdminFileView, type FileListQuery } from '@lexy/client-api';
import { ADMIN_API, AdminErrors } from '../admin-api';
import { ConfirmDialog } from '../shared/confirm-dialog';
import { debounced } from '../shared/debounced';
import { Outcome } from '../shared/outcome';
import { PagedList } from '../shared/paged-list';
import { Pager } from '../shared/pager';
import { Sorting } from '../shared/sorting';

export const FILES_PAGE_SIZE = 25;

type StatusFilter = '' | NonNullable<FileListQuery['status']>;
type FileSort = NonNullable<FileListQuery['sort']>;

const LABELS = {
  delete: (name: string) => $localize`:@@admin.files.deleteLabel:Delete ${name}:name:`,
  restore: (name: string) => $localize`:@@admin.files.restoreLabel:Restore ${name}:name:`,
};

/** Every owner's files: filter, sort and page them; delete one (a takedown, if need be) or restore it. */
@Component({
  selector: 'lexy-admin-files-page',
  imports: [DatePipe, ConfirmDialog, Pager],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './admin-files-page.html',
  styleUrls: ['../shared/admin-table.css', './admin-files-page.css'],
})
export class AdminFilesPage {
  private readonly api = inject(ADMIN_API);
  private readonly errors = inject(AdminErrors);
  protected readonly labels = LABELS;
  protected readonly formatBytes = formatBytes;

  /** `?owner=` from the users page's "Files" link: a user id, an email or an owner key. */
  readonly owner = input<string>();
  protected readonly ownerText = linkedSignal(() => this.owner() ?? '');
  private readonly ownerFilter = debounced(this.ownerText);
  protected readonly nameText = signal('');
  private readonly nameFilter = debounced(this.nameText);
  protected readonly status = signal<StatusFilter>('');
  protected readonly sorting = new Sorting<FileSort>(
    { sort: 'createdAt', order: 'desc' },
    { createdAt: 'desc', size: 'desc', name: 'asc', expiresAt: 'asc' },
  );
  protected readonly list = new PagedList<AdminFileView>(
    (cursor) =>
      this.api.files({
        owner: this.ownerFilter().trim(),
        query: this.nameFilter().trim(),
        status: this.status() || undefined,
        ...this.sorting.state(),
        limit: FILES_PAGE_SIZE,
        cursor,
      }),
    (error) => this.errors.describe(error),
  );
  protected readonly outcome = new Outcome();
  protected readonly busy = signal<ReadonlySet<string>>(new Set());

  /** The file the delete dialog asks about, and the dialog's own answers. */
  protected readonly asked = signal<AdminFileView | null>(null);
  protected readonly block = signal(false);
  protected readonly reason = signal('');
  protected readonly question = computed(() => {
    const name = this.asked()?.name ?? '';
    return $localize`:@@admin.files.deleteQuestion:Delete “${name}:name:”?`;
  });
  protected readonly deleteLabel = $localize`:@@admin.files.confirmDelete:Delete file`;
  private readonly dialog = viewChild.required(ConfirmDialog);

  constructor() {
    effect(() => {
      this.ownerFilter();
      this.nameFilter();
      this.status();
      this.sorting.state();
      untracked(() => void this.list.first());
    });
  }

  protected setStatus(value: string): void {
    this.status.set(value as StatusFilter);
  }

  protected isBusy(file: AdminFileView): boolean {
    return this.busy().has(file.id);
  }

  protected async delete(file: AdminFileView): Promise<void> {
    this.asked.set(file);
    this.block.set(false);
    this.reason.set('');
    if (!(await this.dialog().ask())) return;
    const takedown = { block: this.block(), reason: this.reason() };
    await this.act(file, async () => {
      await this.api.deleteFile(file.id, takedown);
      this.list.update((files) => files.filter((each) => each.id !== file.id));
      this.outcome.succeed(
        takedown.block
          ? $localize`:@@admin.files.takenDown:“${file.name}:name:” was deleted, and its bytes cannot be uploaded again.`
          : $localize`:@@admin.files.deleted:“${file.name}:name:” was deleted.`,
      );
    });
  }

  protected async restore(file: AdminFileView): Promise<void> {
    await this.act(file, async () => {
      const { file: restored } = await this.api.restoreFile(file.id);
      this.list.update((files) => files.map((each) => (each.id === restored.id ? restored : each)));
      this.outcome.succeed($localize`:@@admin.files.restored:“${file.name}:name:” is active again.`);
    });
  }

  private async act(file: AdminFileView, action: () => Promise<void>): Promise<void> {
    this.outcome.clear();
    this.busy.update((busy) => new Set(busy).add(file.id));
    try {
      await action();
    } catch (error) {
      this.outcome.fail(this.errors.describe(error));
    } finally {
      this.busy.update((busy) => {
        const left = new Set(busy);
        left.delete(file.id);
        return left;
      });
    }
  }
}

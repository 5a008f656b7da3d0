import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { formatBytes, groupPickupCode, type FileView } from '@lexy/client-api';
import { API_CLIENT } from '../core/api';
import { describeErrorLocalized } from '../core/error-texts';

/** The first slice of "My files": the caller's files with their codes; actions come later. */
@Component({
  selector: 'lexy-files-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './files-page.html',
})
export class FilesPage {
  private readonly api = inject(API_CLIENT);
  protected readonly files = signal<FileView[] | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly formatBytes = formatBytes;
  protected readonly groupPickupCode = groupPickupCode;

  constructor() {
    this.api.files().then(
      (list) => this.files.set(list.items),
      (error: unknown) => this.error.set(describeErrorLocalized(error)),
    );
  }
}

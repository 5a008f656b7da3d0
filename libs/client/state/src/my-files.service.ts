import { Injectable, inject, signal } from '@angular/core';
import { type FileView } from '@lexy/client-api';
import { API_CLIENT } from './api';
import { describeErrorLocalized } from './error-texts';

export interface MyFilesState {
  /** Null until the first list has arrived. */
  files: FileView[] | null;
  /** Ids of files with a delete or restore under way, so that their buttons wait. */
  busy: ReadonlySet<string>;
  error: string | null;
}

/**
 * The signed-in user's files and what they can do with them: delete, and restore an expired one
 * during its redemption window. Provided by the page, so that every visit starts from a fresh list.
 */
@Injectable()
export class MyFilesService {
  private readonly api = inject(API_CLIENT);
  readonly state = signal<MyFilesState>({ files: null, busy: new Set(), error: null });

  async load(): Promise<void> {
    try {
      const list = await this.api.files();
      this.state.update((s) => ({ ...s, files: list.items, error: null }));
    } catch (error) {
      this.fail(error);
    }
  }

  async remove(file: FileView): Promise<void> {
    await this.whileBusy(file.id, async () => {
      await this.api.deleteFile(file.id);
      this.state.update((s) => ({ ...s, files: (s.files ?? []).filter((f) => f.id !== file.id) }));
    });
  }

  async restore(file: FileView): Promise<void> {
    await this.whileBusy(file.id, async () => {
      const { file: restored } = await this.api.restoreFile(file.id);
      this.state.update((s) => ({ ...s, files: (s.files ?? []).map((f) => (f.id === restored.id ? restored : f)) }));
    });
  }

  private async whileBusy(id: string, action: () => Promise<void>): Promise<void> {
    this.state.update((s) => ({ ...s, busy: new Set(s.busy).add(id), error: null }));
    try {
      await action();
    } catch (error) {
      this.fail(error);
    } finally {
      this.state.update((s) => {
        const busy = new Set(s.busy);
        busy.delete(id);
        return { ...s, busy };
      });
    }
  }

  private fail(error: unknown): void {
    this.state.update((s) => ({ ...s, error: describeErrorLocalized(error) }));
  }
}

import { Clipboard } from '@angular/cdk/clipboard';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { RouterLink } from '@angular/router';
import {
  IonButton,
  IonContent,
  IonHeader,
  IonItem,
  IonLabel,
  IonList,
  IonRefresher,
  IonRefresherContent,
  IonText,
  IonTitle,
  IonToolbar,
  type RefresherCustomEvent,
  type ViewWillEnter,
} from '@ionic/angular';
import { formatBytes, formatDuration, groupPickupCode, type FileView } from '@lexy/client-api';
import { MyFilesService, SessionStore } from '@lexy/client-state';
import { ConfirmDelete } from './confirm-delete';

/** How often the countdowns move on; they show seconds only in their last minute. */
const TICK_MS = 1000;

/**
 * Each file's buttons are named after it ("Delete report.pdf"), so that a screen reader's list of
 * buttons tells them apart; the visible word stays at the start of the name.
 */
const LABELS = {
  copy: (name: string) => $localize`:@@mobile.files.copyLabel:Copy code of ${name}:name:`,
  restore: (name: string) => $localize`:@@mobile.files.restoreLabel:Restore ${name}:name:`,
  delete: (name: string) => $localize`:@@mobile.files.deleteLabel:Delete ${name}:name:`,
};

/** "My files": the signed-in account's files, their codes and time left, and what can be done with them. */
@Component({
  selector: 'lexy-files-page',
  imports: [
    IonHeader,
    IonToolbar,
    IonTitle,
    IonContent,
    IonRefresher,
    IonRefresherContent,
    IonList,
    IonItem,
    IonLabel,
    IonButton,
    IonText,
    RouterLink,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  providers: [MyFilesService],
  template: `
    <ion-header>
      <ion-toolbar><ion-title i18n="@@mobile.files.title">My files</ion-title></ion-toolbar>
    </ion-header>
    <ion-content class="ion-padding">
      @if (!userId()) {
        <p i18n="@@mobile.files.signedOut">
          Sign in to see the files you sent, their codes and how long they are kept.
        </p>
        <ion-button expand="block" routerLink="/login" data-testid="to-sign-in" i18n="@@mobile.files.signIn">
          Sign in
        </ion-button>
      } @else {
        <ion-refresher slot="fixed" (ionRefresh)="refresh($event)">
          <ion-refresher-content />
        </ion-refresher>
        @if (state().error; as error) {
          <ion-text color="danger"
            ><p role="alert">{{ error }}</p></ion-text
          >
        }
        @if (files(); as files) {
          @if (files.length === 0) {
            <p data-testid="no-files" i18n="@@mobile.files.none">You have no files yet.</p>
          } @else {
            <ion-list lines="full">
              @for (file of files; track file.id) {
                <ion-item data-testid="my-file" [class.expired]="file.status === 'expired'">
                  <ion-label>
                    <h2 class="name" data-testid="my-file-name">{{ file.name }}</h2>
                    <p>
                      {{ formatBytes(file.size) }} ·
                      @if (file.status === 'active') {
                        <span data-testid="my-file-status" i18n="@@mobile.files.active">Active</span>
                      } @else {
                        <span data-testid="my-file-status" i18n="@@mobile.files.expired">Expired</span>
                      }
                    </p>
                    <p data-testid="my-file-expiry">{{ countdown(file) }}</p>
                    @if (file.status === 'active') {
                      <p>
                        <ng-container i18n="@@mobile.files.code">Code</ng-container>
                        <code class="code" data-testid="my-file-code">{{ groupPickupCode(file.code) }}</code>
                      </p>
                    }
                    <div class="actions">
                      @if (file.status === 'active') {
                        <ion-button
                          fill="outline"
                          size="default"
                          data-testid="copy-code"
                          [attr.aria-label]="labels.copy(file.name)"
                          (click)="copyCode(file)"
                          i18n="@@mobile.files.copy"
                        >
                          Copy code
                        </ion-button>
                      } @else {
                        <ion-button
                          fill="outline"
                          data-testid="restore-file"
                          [disabled]="isBusy(file)"
                          [attr.aria-label]="labels.restore(file.name)"
                          (click)="restore(file)"
                          i18n="@@mobile.files.restore"
                        >
                          Restore
                        </ion-button>
                      }
                      <ion-button
                        fill="outline"
                        color="danger"
                        data-testid="delete-file"
                        [disabled]="isBusy(file)"
                        [attr.aria-label]="labels.delete(file.name)"
                        (click)="delete(file)"
                        i18n="@@mobile.files.delete"
                      >
                        Delete
                      </ion-button>
                      <span class="copied" aria-live="polite">
                        @if (copiedId() === file.id) {
                          <ng-container i18n="@@mobile.files.copied">Copied</ng-container>
                        }
                      </span>
                    </div>
                  </ion-label>
                </ion-item>
              }
            </ion-list>
          }
        } @else if (!state().error) {
          <p role="status" i18n="@@mobile.files.loading">Loading your files…</p>
        }
      }
    </ion-content>
  `,
  styles: `
    .name {
      overflow-wrap: anywhere;
      white-space: normal;
    }
    .code {
      font-family: ui-monospace, 'SFMono-Regular', Menlo, monospace;
      letter-spacing: 0.1em;
      margin-inline-start: 0.5em;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      margin-top: 8px;
    }
  `,
})
export class FilesPage implements ViewWillEnter {
  private readonly myFiles = inject(MyFilesService);
  private readonly clipboard = inject(Clipboard);
  private readonly confirmDelete = inject(ConfirmDelete);
  private readonly session = inject(SessionStore);
  protected readonly userId = computed(() => this.session.user()?.id ?? null);
  protected readonly state = this.myFiles.state;
  /** Whose list is loaded: a list of an account signed out since is not shown to the next one. */
  private readonly loadedFor = signal<string | null>(null);
  protected readonly files = computed(() => (this.loadedFor() === this.userId() ? this.state().files : null));
  protected readonly now = signal(Date.now());
  /** The file whose code was copied last, to say so next to its button. */
  protected readonly copiedId = signal<string | null>(null);
  protected readonly labels = LABELS;
  protected readonly formatBytes = formatBytes;
  protected readonly groupPickupCode = groupPickupCode;
  private entered = false;

  constructor() {
    effect(() => {
      if (this.userId()) untracked(() => void this.load());
    });
    const timer = setInterval(() => this.now.set(Date.now()), TICK_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  /** The tab stays alive: coming back to it shows what was uploaded meanwhile. */
  ionViewWillEnter(): void {
    if (this.entered && this.userId()) void this.load();
    this.entered = true;
  }

  protected async refresh(event: RefresherCustomEvent): Promise<void> {
    await this.load();
    await event.target.complete();
  }

  /** Until expiry for an active file, until the purge for an expired one (its redemption window). */
  protected countdown(file: FileView): string {
    const until = file.status === 'active' ? file.expiresAt : file.purgeAt;
    if (!until) return file.status === 'active' ? $localize`:@@mobile.files.noExpiry:Does not expire` : '';
    const left = formatDuration(Math.max(0, (Date.parse(until) - this.now()) / 1000));
    return file.status === 'active'
      ? $localize`:@@mobile.files.expiresIn:Expires in ${left}:left:`
      : $localize`:@@mobile.files.purgedIn:Can be restored; deleted for good in ${left}:left:`;
  }

  protected isBusy(file: FileView): boolean {
    return this.state().busy.has(file.id);
  }

  protected async delete(file: FileView): Promise<void> {
    if (await this.confirmDelete.ask(file.name)) await this.myFiles.remove(file);
  }

  protected restore(file: FileView): Promise<void> {
    return this.myFiles.restore(file);
  }

  protected copyCode(file: FileView): void {
    this.copiedId.set(this.clipboard.copy(file.code) ? file.id : null);
  }

  private async load(): Promise<void> {
    const userId = this.userId();
    await this.myFiles.load();
    this.loadedFor.set(userId);
  }
}

import { ChangeDetectionStrategy, Component, computed, inject, InjectionToken, signal } from '@angular/core';
import {
  IonBackButton,
  IonButton,
  IonButtons,
  IonContent,
  IonHeader,
  IonInput,
  IonItem,
  IonList,
  IonText,
  IonTitle,
  IonToolbar,
} from '@ionic/angular';
import { SessionStore } from '@lexy/client-state';
import { SERVER_URL } from '../platform/server-url.token';
import { checkServer, describeServerCheck, type Fetch, type ServerCheck } from './server-check';
import { ServerSwitch } from './server-switch';

/** How the health check reaches the network; a test answers in its place. */
export const HEALTH_FETCH = new InjectionToken<Fetch>('HEALTH_FETCH', {
  providedIn: 'root',
  factory: () => (input, init) => fetch(input, init),
});

/** "Settings": which server this app talks to, checked before it is kept. */
@Component({
  selector: 'lexy-settings-page',
  imports: [
    IonHeader,
    IonToolbar,
    IonButtons,
    IonBackButton,
    IonTitle,
    IonContent,
    IonList,
    IonItem,
    IonInput,
    IonButton,
    IonText,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <ion-header>
      <ion-toolbar>
        @if (current) {
          <ion-buttons slot="start"><ion-back-button defaultHref="/account" /></ion-buttons>
        }
        <ion-title i18n="@@mobile.settings.title">Settings</ion-title>
      </ion-toolbar>
    </ion-header>
    <ion-content class="ion-padding">
      <h2 i18n="@@mobile.settings.serverHeading">Server</h2>
      @if (current) {
        <p data-testid="current-server" i18n="@@mobile.settings.current">
          This app uses <strong>{{ current }}</strong>
        </p>
      } @else {
        <p data-testid="current-server" i18n="@@mobile.settings.none">
          No server is chosen yet. Enter the address of your Lexy Files server.
        </p>
      }
      <!-- No browser validation: "files.example.org" is what people type, and no URL to the browser. -->
      <form novalidate (submit)="check($event)">
        <ion-list lines="full">
          <ion-item>
            <ion-input
              data-testid="server-url"
              type="text"
              inputmode="url"
              autocapitalize="off"
              autocomplete="url"
              label="Server address"
              i18n-label="@@mobile.settings.address"
              labelPlacement="stacked"
              helperText="For example files.example.org"
              i18n-helperText="@@mobile.settings.addressHelp"
              [value]="typed()"
              (ionInput)="edit($event.detail.value ?? '')"
            />
          </ion-item>
        </ion-list>
        <ion-button
          type="submit"
          expand="block"
          fill="outline"
          data-testid="check-server"
          [disabled]="checking() || !typed().trim()"
          i18n="@@mobile.settings.check"
        >
          Check server
        </ion-button>
      </form>
      @if (checking()) {
        <p role="status" i18n="@@mobile.settings.checking">Checking…</p>
      } @else if (result(); as result) {
        <ion-text [color]="result.outcome === 'ok' ? undefined : 'danger'">
          <p data-testid="server-check" [attr.role]="result.outcome === 'ok' ? 'status' : 'alert'">
            {{ describe(result) }}
          </p>
        </ion-text>
      }
      <ion-button
        expand="block"
        data-testid="save-server"
        [disabled]="!checkedOrigin() || saving()"
        (click)="save()"
        i18n="@@mobile.settings.save"
      >
        Save and restart
      </ion-button>
      <p class="hint" i18n="@@mobile.settings.saveHint">
        Saving a different server signs you out here; the app starts again with the new server.
      </p>
    </ion-content>
  `,
  styles: `
    .hint {
      color: var(--ion-color-step-700, var(--ion-text-color-step-300, #4d4d4d));
      font-size: 0.875rem;
    }
  `,
})
export class SettingsPage {
  private readonly fetchImpl = inject(HEALTH_FETCH);
  private readonly serverSwitch = inject(ServerSwitch);
  private readonly session = inject(SessionStore);
  protected readonly current = inject(SERVER_URL);
  protected readonly typed = signal(this.current ?? '');
  protected readonly checking = signal(false);
  protected readonly saving = signal(false);
  protected readonly result = signal<ServerCheck | null>(null);
  /** Saving is allowed only for an address that was just checked and found ready. */
  protected readonly checkedOrigin = computed(() => {
    const result = this.result();
    return result?.outcome === 'ok' ? result.origin : null;
  });
  protected readonly describe = describeServerCheck;

  protected edit(value: string): void {
    this.typed.set(value);
    // A check speaks for the address it was made for, not for one edited since.
    this.result.set(null);
  }

  protected async check(event?: Event): Promise<void> {
    event?.preventDefault();
    if (this.checking()) return;
    this.checking.set(true);
    try {
      this.result.set(await checkServer(this.typed(), this.fetchImpl));
    } finally {
      this.checking.set(false);
    }
  }

  protected async save(): Promise<void> {
    const origin = this.checkedOrigin();
    if (!origin || this.saving()) return;
    this.saving.set(true);
    try {
      await this.serverSwitch.save(origin);
      // The session belongs to the old server: end it there before leaving it.
      if (origin !== this.current) await this.session.signOut();
      this.serverSwitch.restart();
    } finally {
      this.saving.set(false);
    }
  }
}

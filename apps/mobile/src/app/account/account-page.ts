import { ChangeDetectionStrategy, Component, computed, effect, inject, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import {
  IonButton,
  IonContent,
  IonHeader,
  IonIcon,
  IonItem,
  IonLabel,
  IonList,
  IonNote,
  IonProgressBar,
  IonText,
  IonTitle,
  IonToolbar,
  type ViewWillEnter,
} from '@ionic/angular';
import { MyAccountService, SessionStore } from '@lexy/client-state';
import { addIcons } from 'ionicons';
import { settingsOutline } from 'ionicons/icons';
import { accountMeters, groupName } from './account-meters';

/** "Account": who is signed in, what they use of their group's limits, the settings and signing out. */
@Component({
  selector: 'lexy-account-page',
  imports: [
    IonHeader,
    IonToolbar,
    IonTitle,
    IonContent,
    IonList,
    IonItem,
    IonLabel,
    IonNote,
    IonProgressBar,
    IonButton,
    IonIcon,
    IonText,
    RouterLink,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  providers: [MyAccountService],
  template: `
    <ion-header>
      <ion-toolbar><ion-title i18n="@@mobile.account.title">Account</ion-title></ion-toolbar>
    </ion-header>
    <ion-content class="ion-padding">
      @if (!session.signedIn()) {
        <p i18n="@@mobile.account.signedOut">
          Sign in to see your files and limits, and to send files to your other devices.
        </p>
        <ion-button expand="block" routerLink="/login" data-testid="to-sign-in" i18n="@@mobile.account.signIn">
          Sign in
        </ion-button>
        <ion-button
          expand="block"
          fill="outline"
          routerLink="/register"
          data-testid="to-register"
          i18n="@@mobile.account.register"
        >
          Create an account
        </ion-button>
      } @else {
        @if (state().error; as error) {
          <ion-text color="danger"
            ><p role="alert">{{ error }}</p></ion-text
          >
        }
        @if (session.user(); as user) {
          <ion-list lines="full" data-testid="account-user">
            <ion-item>
              <ion-label>
                <h2 data-testid="account-email">{{ user.email }}</h2>
                @if (user.displayName) {
                  <p>{{ user.displayName }}</p>
                }
              </ion-label>
              <ion-note slot="end" class="group" data-testid="account-group">{{ group() }}</ion-note>
            </ion-item>
          </ion-list>
        }
        @if (meters(); as meters) {
          <h2 class="section" id="account-usage" i18n="@@mobile.account.usage">What you use</h2>
          <ion-list lines="full">
            @for (meter of meters; track meter.id) {
              <ion-item [attr.data-testid]="'meter-' + meter.id">
                <ion-label>
                  <h3 [id]="'meter-label-' + meter.id">{{ meter.label }}</h3>
                  @if (meter.fraction !== null) {
                    <ion-progress-bar
                      [value]="meter.fraction"
                      [attr.aria-labelledby]="'meter-label-' + meter.id"
                      [attr.aria-valuetext]="meter.text"
                    />
                  }
                  <p class="meter-text">{{ meter.text }}</p>
                  @if (meter.note) {
                    <p class="meter-text">{{ meter.note }}</p>
                  }
                </ion-label>
              </ion-item>
            }
          </ion-list>
        } @else if (!state().error) {
          <p role="status" i18n="@@mobile.account.loading">Loading your account…</p>
        }
      }
      <ion-list lines="full">
        <ion-item routerLink="/settings" [detail]="true" data-testid="open-settings">
          <ion-icon name="settings-outline" slot="start" aria-hidden="true" />
          <ion-label i18n="@@mobile.account.settings">Settings</ion-label>
        </ion-item>
      </ion-list>
      @if (session.signedIn()) {
        <ion-button
          expand="block"
          color="danger"
          fill="outline"
          data-testid="sign-out"
          (click)="signOut()"
          i18n="@@mobile.account.signOut"
        >
          Sign out
        </ion-button>
      }
    </ion-content>
  `,
  styles: `
    ion-progress-bar {
      margin: 8px 0 4px;
    }
    .section {
      font-size: 1.125rem;
      margin: 24px 0 4px;
    }
    .meter-text {
      white-space: normal;
    }
  `,
})
export class AccountPage implements ViewWillEnter {
  private readonly account = inject(MyAccountService);
  protected readonly session = inject(SessionStore);
  protected readonly state = this.account.state;
  private readonly userId = computed(() => this.session.user()?.id ?? null);
  protected readonly group = computed(() => {
    const group = this.session.user()?.group;
    return group ? groupName(group) : '';
  });
  protected readonly meters = computed(() => {
    const me = this.state().me;
    // An answer for an account signed out since is not shown.
    return me && me.user.id === this.userId() ? accountMeters(me) : null;
  });
  private entered = false;

  constructor() {
    addIcons({ settingsOutline });
    // Whoever signs in, their account is asked for; the tab stays alive across sign-ins.
    effect(() => {
      if (this.userId()) untracked(() => void this.account.load());
    });
  }

  /** Coming back to the tab asks again: uploads and downloads elsewhere moved the meters. */
  ionViewWillEnter(): void {
    if (this.entered && this.userId()) void this.account.load();
    this.entered = true;
  }

  protected signOut(): Promise<void> {
    return this.session.signOut();
  }
}

import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import {
  IonBackButton,
  IonButtons,
  IonContent,
  IonHeader,
  IonText,
  IonTitle,
  IonToolbar,
  NavController,
} from '@ionic/angular';
import { ApiError } from '@lexy/client-api';
import { AccountService, describeErrorLocalized, SessionStore, type Registration } from '@lexy/client-state';
import { CredentialsForm } from './credentials-form';

@Component({
  selector: 'lexy-login-page',
  imports: [
    IonHeader,
    IonToolbar,
    IonButtons,
    IonBackButton,
    IonTitle,
    IonContent,
    IonText,
    RouterLink,
    CredentialsForm,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <ion-header>
      <ion-toolbar>
        <ion-buttons slot="start"><ion-back-button defaultHref="/account" /></ion-buttons>
        <ion-title i18n="@@mobile.login.title">Sign in</ion-title>
      </ion-toolbar>
    </ion-header>
    <ion-content class="ion-padding">
      @if (ended(); as ended) {
        <ion-text color="danger">
          <p role="alert" data-testid="session-ended">
            <ng-container i18n="@@mobile.login.signedOut">You were signed out.</ng-container> {{ ended }}
          </p>
        </ion-text>
      }
      <lexy-credentials-form submitTestId="sign-in" (submitted)="signIn($event)">
        <ng-container i18n="@@mobile.login.submit">Sign in</ng-container>
      </lexy-credentials-form>
      <p class="ion-text-center" i18n="@@mobile.login.noAccount">
        No account yet? <a routerLink="/register" data-testid="to-register">Create one</a>
      </p>
    </ion-content>
  `,
})
export class LoginPage {
  private readonly account = inject(AccountService);
  private readonly nav = inject(NavController);
  private readonly session = inject(SessionStore);
  /** Why the server signed this app out (a disabled account, an ended session), in plain words. */
  protected readonly ended = computed(() => {
    const reason = this.session.endedBecause();
    return reason ? describeErrorLocalized(new ApiError(0, reason, '')) : null;
  });

  protected async signIn(credentials: Registration): Promise<void> {
    // Home becomes the root: the back button does not lead to the sign-in form again.
    if (await this.account.signIn(credentials)) await this.nav.navigateRoot('/home');
  }
}

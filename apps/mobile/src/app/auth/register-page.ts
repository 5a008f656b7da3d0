import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { IonBackButton, IonButtons, IonContent, IonHeader, IonTitle, IonToolbar, NavController } from '@ionic/angular';
import { AccountService, type Registration } from '@lexy/client-state';
import { CredentialsForm } from './credentials-form';

@Component({
  selector: 'lexy-register-page',
  imports: [IonHeader, IonToolbar, IonButtons, IonBackButton, IonTitle, IonContent, RouterLink, CredentialsForm],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <ion-header>
      <ion-toolbar>
        <ion-buttons slot="start"><ion-back-button defaultHref="/account" /></ion-buttons>
        <ion-title i18n="@@mobile.register.title">Create an account</ion-title>
      </ion-toolbar>
    </ion-header>
    <ion-content class="ion-padding">
      <lexy-credentials-form submitTestId="register" [askDisplayName]="true" (submitted)="register($event)">
        <ng-container i18n="@@mobile.register.submit">Create account</ng-container>
      </lexy-credentials-form>
      <p class="ion-text-center" i18n="@@mobile.register.haveAccount">
        Already registered? <a routerLink="/login" data-testid="to-login">Sign in</a>
      </p>
    </ion-content>
  `,
})
export class RegisterPage {
  private readonly account = inject(AccountService);
  private readonly nav = inject(NavController);

  protected async register(registration: Registration): Promise<void> {
    if (await this.account.register(registration)) await this.nav.navigateRoot('/home');
  }
}

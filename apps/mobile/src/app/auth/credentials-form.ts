import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { IonButton, IonInput, IonInputPasswordToggle, IonItem, IonList, IonText } from '@ionic/angular';
import { AccountService, type Registration } from '@lexy/client-state';

/**
 * The email and password form of both signing in and creating an account (with an optional
 * display name for the latter), and the account's error in plain words. Each page names its own
 * submit button.
 */
@Component({
  selector: 'lexy-credentials-form',
  imports: [IonList, IonItem, IonInput, IonInputPasswordToggle, IonButton, IonText],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form (submit)="submit($event)">
      <ion-list lines="full">
        @if (askDisplayName()) {
          <ion-item>
            <ion-input
              data-testid="display-name"
              label="Display name (optional)"
              i18n-label="@@mobile.auth.displayName"
              labelPlacement="stacked"
              autocomplete="nickname"
              [value]="displayName()"
              (ionInput)="displayName.set($event.detail.value ?? '')"
            />
          </ion-item>
        }
        <ion-item>
          <ion-input
            data-testid="email"
            type="email"
            inputmode="email"
            autocomplete="email"
            autocapitalize="off"
            label="Email"
            i18n-label="@@mobile.auth.email"
            labelPlacement="stacked"
            [required]="true"
            [value]="email()"
            (ionInput)="email.set($event.detail.value ?? '')"
          />
        </ion-item>
        <ion-item>
          <ion-input
            data-testid="password"
            type="password"
            [autocomplete]="askDisplayName() ? 'new-password' : 'current-password'"
            label="Password"
            i18n-label="@@mobile.auth.password"
            labelPlacement="stacked"
            [required]="true"
            [value]="password()"
            (ionInput)="password.set($event.detail.value ?? '')"
          >
            <ion-input-password-toggle slot="end" />
          </ion-input>
        </ion-item>
      </ion-list>
      @if (account.error(); as error) {
        <ion-text color="danger"
          ><p role="alert">{{ error }}</p></ion-text
        >
      }
      <ion-button type="submit" expand="block" [attr.data-testid]="submitTestId()" [disabled]="account.busy()">
        <ng-content />
      </ion-button>
    </form>
  `,
})
export class CredentialsForm {
  protected readonly account = inject(AccountService);
  /** The registration form also asks for a name to be shown by. */
  readonly askDisplayName = input(false);
  /** The end-to-end tests' hook on the submit button ("sign-in", "register"). */
  readonly submitTestId = input.required<string>();
  readonly submitted = output<Registration>();
  protected readonly displayName = signal('');
  protected readonly email = signal('');
  protected readonly password = signal('');

  constructor() {
    // The account's error belongs to the last attempt, maybe on the other form: start clean.
    this.account.error.set(null);
  }

  protected submit(event: Event): void {
    event.preventDefault();
    const credentials = { email: this.email().trim(), password: this.password() };
    this.submitted.emit(this.askDisplayName() ? { ...credentials, displayName: this.displayName() } : credentials);
  }
}

import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { AccountService } from '../core/account.service';

@Component({
  selector: 'lexy-register-page',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './register-page.html',
})
export class RegisterPage {
  protected readonly account = inject(AccountService);
  private readonly router = inject(Router);
  protected readonly email = signal('');
  protected readonly password = signal('');

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    const ok = await this.account.register({ email: this.email().trim(), password: this.password() });
    if (ok) await this.router.navigateByUrl('/files');
  }
}

import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { DevicesService } from './core/devices.service';
import { SessionStore } from './core/session.store';

@Component({
  selector: 'lexy-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './app.html',
  styleUrl: './app.css',
})
export class App {
  protected readonly session = inject(SessionStore);
  private readonly router = inject(Router);

  constructor() {
    // This browser is one of the account's devices whatever page is open: offers reach it anywhere.
    inject(DevicesService);
  }

  protected async signOut(): Promise<void> {
    await this.session.signOut();
    await this.router.navigateByUrl('/');
  }
}

import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { IonApp, IonRouterOutlet } from '@ionic/angular';
import { DevicesService, SessionWatch } from '@lexy/client-state';
import { OfferNotifications } from './platform/offer-notifications';

@Component({
  selector: 'lexy-mobile-root',
  imports: [IonApp, IonRouterOutlet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: '<ion-app><ion-router-outlet /></ion-app>',
})
export class App {
  constructor() {
    // While signed in this phone is one of the account's devices, whatever screen is open.
    inject(DevicesService);
    // A session the server ended (a disabled account) is signed out within seconds.
    inject(SessionWatch);
    // Offers from the account's other devices are told of by a notification while the app is in the background.
    inject(OfferNotifications);
  }
}

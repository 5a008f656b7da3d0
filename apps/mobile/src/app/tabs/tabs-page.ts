import { ChangeDetectionStrategy, Component } from '@angular/core';
import { IonIcon, IonLabel, IonTabBar, IonTabButton, IonTabs } from '@ionic/angular';
import { addIcons } from 'ionicons';
import {
  cloudUploadOutline,
  downloadOutline,
  folderOutline,
  personCircleOutline,
  phonePortraitOutline,
} from 'ionicons/icons';

/** The five screens a person moves between with their thumb. */
@Component({
  selector: 'lexy-tabs-page',
  imports: [IonTabs, IonTabBar, IonTabButton, IonIcon, IonLabel],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <ion-tabs>
      <ion-tab-bar slot="bottom">
        <ion-tab-button tab="home">
          <ion-icon name="cloud-upload-outline" aria-hidden="true" />
          <ion-label i18n="@@mobile.tab.send">Send</ion-label>
        </ion-tab-button>
        <ion-tab-button tab="pickup">
          <ion-icon name="download-outline" aria-hidden="true" />
          <ion-label i18n="@@mobile.tab.pickup">Pick up</ion-label>
        </ion-tab-button>
        <ion-tab-button tab="files">
          <ion-icon name="folder-outline" aria-hidden="true" />
          <ion-label i18n="@@mobile.tab.files">My files</ion-label>
        </ion-tab-button>
        <ion-tab-button tab="devices">
          <ion-icon name="phone-portrait-outline" aria-hidden="true" />
          <ion-label i18n="@@mobile.tab.devices">Devices</ion-label>
        </ion-tab-button>
        <ion-tab-button tab="account">
          <ion-icon name="person-circle-outline" aria-hidden="true" />
          <ion-label i18n="@@mobile.tab.account">Account</ion-label>
        </ion-tab-button>
      </ion-tab-bar>
    </ion-tabs>
  `,
})
export class TabsPage {
  constructor() {
    addIcons({ cloudUploadOutline, downloadOutline, folderOutline, personCircleOutline, phonePortraitOutline });
  }
}

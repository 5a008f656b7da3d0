import { inject, Injectable } from '@angular/core';
import { AlertController } from '@ionic/angular';

/** Asks, in an ion-alert, whether a file is to be deleted for good; true only for a clear yes. */
@Injectable({ providedIn: 'root' })
export class ConfirmDelete {
  private readonly alerts = inject(AlertController);

  async ask(fileName: string): Promise<boolean> {
    const alert = await this.alerts.create({
      header: $localize`:@@mobile.files.confirmHeader:Delete this file?`,
      message: $localize`:@@mobile.files.confirmDelete:“${fileName}:name:” is deleted for good. Its code and share link stop working at once.`,
      buttons: [
        {
          text: $localize`:@@mobile.files.confirmCancel:Keep it`,
          role: 'cancel',
          htmlAttributes: { 'data-testid': 'cancel-delete' },
        },
        {
          text: $localize`:@@mobile.files.confirmYes:Delete`,
          role: 'destructive',
          htmlAttributes: { 'data-testid': 'confirm-delete' },
        },
      ],
    });
    await alert.present();
    const { role } = await alert.onDidDismiss();
    return role === 'destructive';
  }
}

import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import {
  IonButton,
  IonContent,
  IonHeader,
  IonItem,
  IonLabel,
  IonList,
  IonNote,
  IonProgressBar,
  IonText,
  IonTitle,
  IonToolbar,
} from '@ionic/angular';
import { formatBytes, type DeviceView } from '@lexy/client-api';
import { DevicesService, RUNNING, SessionStore, type TransferState } from '@lexy/client-state';
import { DeviceFilePicker } from '../platform/device-file-picker';
import { fileNames, progressOf, transferStatus } from './transfer-words';

/**
 * "Devices": this phone as one of the account's devices, the others with a way to send them
 * files, offers to answer, transfers under way, and the files received.
 */
@Component({
  selector: 'lexy-devices-page',
  imports: [
    IonHeader,
    IonToolbar,
    IonTitle,
    IonContent,
    IonList,
    IonItem,
    IonLabel,
    IonNote,
    IonButton,
    IonProgressBar,
    IonText,
    RouterLink,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './devices-page.html',
  styles: `
    .wrap {
      white-space: normal;
      overflow-wrap: anywhere;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      margin-top: 8px;
    }
    ion-progress-bar {
      margin: 8px 0 4px;
    }
    .section {
      font-size: 1.125rem;
      margin: 24px 0 4px;
    }
  `,
})
export class DevicesPage {
  private readonly session = inject(SessionStore);
  protected readonly service = inject(DevicesService);
  private readonly picker = inject(DeviceFilePicker);
  protected readonly formatBytes = formatBytes;
  protected readonly progressOf = progressOf;
  protected readonly fileNames = fileNames;

  /** Sending between devices needs an account: an anonymous session has no devices. */
  protected readonly hasAccount = computed(() => {
    const user = this.session.user();
    return user !== null && user.group !== 'anonymous';
  });
  protected readonly offers = computed(() => this.service.transfers().filter(isOffer));
  protected readonly running = computed(() =>
    this.service.transfers().filter((entry) => RUNNING.has(entry.transfer.status) && !isOffer(entry)),
  );
  protected readonly received = computed(() =>
    this.service.transfers().filter((entry) => entry.direction === 'in' && entry.transfer.status === 'completed'),
  );
  protected readonly finished = computed(() =>
    this.service
      .transfers()
      .filter(
        (entry) =>
          !RUNNING.has(entry.transfer.status) && !(entry.direction === 'in' && entry.transfer.status === 'completed'),
      ),
  );
  /** Where DeviceFileSaver puts received files. */
  protected readonly savedTo = this.picker.native
    ? $localize`:@@mobile.devices.savedDocuments:Saved to Documents`
    : $localize`:@@mobile.devices.savedDownloads:Saved to your downloads`;

  /** "Send files": the phone's picker, or the web build's own file input for this device. */
  protected async chooseFor(device: DeviceView, input: HTMLInputElement): Promise<void> {
    if (!this.picker.native) {
      input.click();
      return;
    }
    const files = (await this.picker.pick('files')).map((picked) => picked.file);
    if (files.length > 0) await this.service.send(device.id, files);
  }

  protected async chosen(device: DeviceView, input: HTMLInputElement): Promise<void> {
    const files = Array.from(input.files ?? []);
    // Cleared first, so that choosing the same file again is a change again.
    input.value = '';
    if (files.length > 0) await this.service.send(device.id, files);
  }

  protected otherSide(entry: TransferState): string {
    const { fromDeviceId, toDeviceId } = entry.transfer;
    return this.service.deviceName(entry.direction === 'in' ? fromDeviceId : toDeviceId);
  }

  protected status(entry: TransferState): string {
    return transferStatus(entry, this.savedTo);
  }

  protected readonly label = {
    send: (device: DeviceView) => $localize`:@@mobile.devices.sendLabel:Send files to ${device.name}:name:`,
    accept: (entry: TransferState) => $localize`:@@mobile.devices.acceptLabel:Accept ${fileNames(entry)}:names:`,
    decline: (entry: TransferState) => $localize`:@@mobile.devices.declineLabel:Decline ${fileNames(entry)}:names:`,
    cancel: (entry: TransferState) => $localize`:@@mobile.devices.cancelLabel:Cancel ${fileNames(entry)}:names:`,
    progress: (entry: TransferState) =>
      entry.direction === 'out'
        ? $localize`:@@mobile.devices.progressOut:Sending ${fileNames(entry)}:names:`
        : $localize`:@@mobile.devices.progressIn:Receiving ${fileNames(entry)}:names:`,
    percent: (entry: TransferState) => `${Math.floor(progressOf(entry) * 100)} %`,
  };
}

function isOffer(entry: TransferState): boolean {
  return entry.direction === 'in' && entry.transfer.status === 'pending';
}

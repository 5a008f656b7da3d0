import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { formatBytes, type DeviceView } from '@lexy/client-api';
import { DevicesService, RUNNING, SessionStore, type TransferState } from '@lexy/client-state';

/** "My devices": this browser, the account's other devices, offers to answer and transfers under way. */
@Component({
  selector: 'lexy-devices-page',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './devices-page.html',
  styleUrl: './devices-page.css',
})
export class DevicesPage {
  protected readonly session = inject(SessionStore);
  protected readonly service = inject(DevicesService);
  protected readonly formatBytes = formatBytes;
  /** The files chosen for each device, by device id, until they are sent. */
  protected readonly chosen = signal<Record<string, File[]>>({});

  protected choose(device: DeviceView, input: HTMLInputElement): void {
    const files = Array.from(input.files ?? []);
    this.chosen.update((all) => ({ ...all, [device.id]: files }));
  }

  protected async send(device: DeviceView, input: HTMLInputElement): Promise<void> {
    const files = this.chosen()[device.id] ?? [];
    await this.service.send(device.id, files);
    this.chosen.update((all) => ({ ...all, [device.id]: [] }));
    input.value = '';
  }

  protected percent(entry: TransferState): number {
    const total = entry.transfer.totalBytes;
    return total === 0 ? (entry.transfer.status === 'completed' ? 100 : 0) : Math.floor((entry.bytes / total) * 100);
  }

  protected isOffer(entry: TransferState): boolean {
    return entry.direction === 'in' && entry.transfer.status === 'pending';
  }

  protected isRunning(entry: TransferState): boolean {
    return RUNNING.has(entry.transfer.status);
  }

  protected otherSide(entry: TransferState): string {
    const { fromDeviceId, toDeviceId } = entry.transfer;
    return this.service.deviceName(entry.direction === 'in' ? fromDeviceId : toDeviceId);
  }

  protected fileNames(entry: TransferState): string {
    return entry.transfer.files.map((file) => file.name).join(', ');
  }

  /** The transfer's state in plain words. */
  protected statusText(entry: TransferState): string {
    const outgoing = entry.direction === 'out';
    switch (entry.transfer.status) {
      case 'pending':
        return outgoing
          ? $localize`:@@devices.waitingAnswer:Waiting for the other device to accept.`
          : $localize`:@@devices.offered:Offered to this browser.`;
      case 'accepted':
      case 'streaming':
        return (
          entry.problem ??
          (outgoing ? $localize`:@@devices.sending:Sending…` : $localize`:@@devices.receiving:Receiving…`)
        );
      case 'completed':
        return outgoing
          ? $localize`:@@devices.sent:Sent. The other device received every file intact.`
          : $localize`:@@devices.received:Received and checked. The files are in your downloads.`;
      case 'rejected':
        return outgoing
          ? $localize`:@@devices.declined:The other device declined the files.`
          : $localize`:@@devices.youDeclined:You declined the files.`;
      case 'cancelled':
        return $localize`:@@devices.cancelled:The transfer was cancelled.`;
      case 'expired':
        return $localize`:@@devices.expired:Nobody accepted the offer in time.`;
      case 'failed':
        return $localize`:@@devices.failed:The transfer failed: ${entry.problem ?? ''}:reason:`;
    }
  }

  protected progressLabel(entry: TransferState): string {
    const names = this.fileNames(entry);
    return entry.direction === 'out'
      ? $localize`:@@devices.progressOut:Sending ${names}:names:`
      : $localize`:@@devices.progressIn:Receiving ${names}:names:`;
  }

  protected label = {
    files: (device: DeviceView) => $localize`:@@devices.filesFor:Files for ${device.name}:name:`,
    send: (device: DeviceView) => $localize`:@@devices.sendTo:Send to ${device.name}:name:`,
    accept: (entry: TransferState) => $localize`:@@devices.acceptLabel:Accept ${this.fileNames(entry)}:names:`,
    reject: (entry: TransferState) => $localize`:@@devices.rejectLabel:Reject ${this.fileNames(entry)}:names:`,
    cancel: (entry: TransferState) => $localize`:@@devices.cancelLabel:Cancel ${this.fileNames(entry)}:names:`,
  };
}

import type { TransferState } from '@lexy/client-state';

export const fileNames = (entry: TransferState) => entry.transfer.files.map((file) => file.name).join(', ');

/** How far a transfer has come, 0–1. */
export function progressOf(entry: TransferState): number {
  const total = entry.transfer.totalBytes;
  if (total === 0) return entry.transfer.status === 'completed' ? 1 : 0;
  return Math.min(1, entry.bytes / total);
}

/** A transfer's state in plain words; `savedTo` says where received files went. */
export function transferStatus(entry: TransferState, savedTo: string): string {
  const outgoing = entry.direction === 'out';
  switch (entry.transfer.status) {
    case 'pending':
      return outgoing
        ? $localize`:@@mobile.devices.waitingAnswer:Waiting for the other device to accept.`
        : $localize`:@@mobile.devices.offered:Offered to this phone.`;
    case 'accepted':
    case 'streaming':
      return (
        entry.problem ??
        (outgoing ? $localize`:@@mobile.devices.sending:Sending…` : $localize`:@@mobile.devices.receiving:Receiving…`)
      );
    case 'completed':
      return outgoing ? $localize`:@@mobile.devices.sent:Sent. The other device received every file intact.` : savedTo;
    case 'rejected':
      return outgoing
        ? $localize`:@@mobile.devices.declined:The other device declined the files.`
        : $localize`:@@mobile.devices.youDeclined:You declined the files.`;
    case 'cancelled':
      return $localize`:@@mobile.devices.cancelled:The transfer was cancelled.`;
    case 'expired':
      return $localize`:@@mobile.devices.expired:Nobody accepted the offer in time.`;
    case 'failed':
      return $localize`:@@mobile.devices.failed:The transfer failed: ${entry.problem ?? ''}:reason:`;
  }
}

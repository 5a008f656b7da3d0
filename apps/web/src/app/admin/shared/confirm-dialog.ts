import { ChangeDetectionStrategy, Component, ElementRef, input, viewChild } from '@angular/core';

let nextId = 0;

/**
 * A modal question with Cancel and a confirm button (the native <dialog>: the page behind is
 * inert, Escape cancels). Focus starts on Cancel, the safe answer, and goes back to the control
 * that opened it. Content projected into it (a checkbox, a reason) is part of the question.
 */
@Component({
  selector: 'lexy-admin-confirm-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './confirm-dialog.html',
  styleUrl: './confirm-dialog.css',
})
export class ConfirmDialog {
  readonly heading = input.required<string>();
  readonly confirmLabel = input.required<string>();
  /** The confirm button in the danger colour (disabling, deleting). */
  readonly danger = input(false);
  protected readonly id = `confirm-dialog-${nextId++}`;
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  private answer: ((confirmed: boolean) => void) | null = null;
  private opener: HTMLElement | null = null;

  /** Opens the dialog; resolves true when confirmed, false when cancelled (button or Escape). */
  ask(): Promise<boolean> {
    this.answer?.(false);
    const active = globalThis.document?.activeElement;
    this.opener = active instanceof HTMLElement ? active : null;
    this.dialog().nativeElement.showModal();
    return new Promise((resolve) => (this.answer = resolve));
  }

  protected confirm(event: Event): void {
    event.preventDefault();
    this.finish(true);
  }

  protected cancel(): void {
    this.finish(false);
  }

  /** The dialog closed by itself (Escape). */
  protected closed(): void {
    this.finish(false);
  }

  private finish(confirmed: boolean): void {
    const answer = this.answer;
    this.answer = null;
    const dialog = this.dialog().nativeElement;
    if (dialog.open) dialog.close();
    // The row's button may be gone (a deleted file): then focus stays where the browser puts it.
    if (this.opener?.isConnected) this.opener.focus();
    this.opener = null;
    answer?.(confirmed);
  }
}

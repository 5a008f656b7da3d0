import { Directive, output, signal } from '@angular/core';
import { carriesFiles, droppedFiles } from '@lexy/client-state';

/**
 * Makes its element a drop target for files: lit up (class "dragging") while files are dragged
 * over it, and `filesDropped` with the files (folders left out) when they are let go. Drags of
 * anything else (text, links) pass by untouched. Keyboard and screen-reader users pick files
 * with the labelled file input instead.
 */
@Directive({
  selector: '[lexyFileDrop]',
  host: {
    '[class.dragging]': 'dragging()',
    '(dragenter)': 'enter($event)',
    '(dragover)': 'over($event)',
    '(dragleave)': 'leave($event)',
    '(drop)': 'drop($event)',
  },
})
export class FileDropDirective {
  readonly filesDropped = output<File[]>();
  readonly dragging = signal(false);
  /** dragenter and dragleave fire for every child crossed; the drag has left when they even out. */
  private depth = 0;

  protected enter(event: DragEvent): void {
    if (!carriesFiles(event.dataTransfer)) return;
    event.preventDefault();
    this.depth++;
    this.dragging.set(true);
  }

  protected over(event: DragEvent): void {
    if (!carriesFiles(event.dataTransfer)) return;
    // Saying "copy" here is what makes the element a drop target at all.
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    this.dragging.set(true);
  }

  protected leave(event: DragEvent): void {
    if (!carriesFiles(event.dataTransfer)) return;
    this.depth = Math.max(0, this.depth - 1);
    if (this.depth === 0) this.dragging.set(false);
  }

  protected drop(event: DragEvent): void {
    if (!carriesFiles(event.dataTransfer)) return;
    // Ours to handle: not the browser's (opening the file) nor the file input's.
    event.preventDefault();
    this.depth = 0;
    this.dragging.set(false);
    const files = droppedFiles(event.dataTransfer);
    if (files.length > 0) this.filesDropped.emit(files);
  }
}

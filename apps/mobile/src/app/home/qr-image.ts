import { InjectionToken } from '@angular/core';
import { toDataURL } from 'qrcode';

/** Draws a QR code of the text as an image URL (a canvas-drawn PNG; tests replace it, jsdom has no canvas). */
export const QR_IMAGE = new InjectionToken<(text: string) => Promise<string>>('QR_IMAGE', {
  providedIn: 'root',
  factory: () => (text) => toDataURL(text, { margin: 1, width: 220, errorCorrectionLevel: 'M' }),
});

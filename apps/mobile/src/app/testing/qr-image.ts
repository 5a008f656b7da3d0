// Renders a QR code to pixels the way a camera frame holds them, for the scanner's specs.
import { create } from 'qrcode';
import type { Frame } from '../platform/qr-frame';

/** An RGBA frame (ImageData's shape) of `text`'s QR code, black on white with a quiet zone. */
export function qrFrame(text: string, pixelsPerModule = 4, quietModules = 4): Frame {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const side = (modules.size + quietModules * 2) * pixelsPerModule;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const row = Math.floor(y / pixelsPerModule) - quietModules;
      const column = Math.floor(x / pixelsPerModule) - quietModules;
      const inside = row >= 0 && column >= 0 && row < modules.size && column < modules.size;
      if (!inside || !modules.get(row, column)) continue;
      const at = (y * side + x) * 4;
      data[at] = data[at + 1] = data[at + 2] = 0;
    }
  }
  return { data, width: side, height: side };
}

/** A frame with nothing in it. */
export function blankFrame(side = 64): Frame {
  return { data: new Uint8ClampedArray(side * side * 4).fill(255), width: side, height: side };
}

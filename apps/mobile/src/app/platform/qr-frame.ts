import jsQR from 'jsqr';

/** The pixels of one camera frame: an ImageData, or anything shaped like one. */
export type Frame = Pick<ImageData, 'data' | 'width' | 'height'>;

/** The text of the QR code in the frame, or null when there is none that can be read. */
export function decodeQrFrame(frame: Frame): string | null {
  // Pickup QR codes are dark on light; skipping the inverted pass halves the work per frame.
  const code = jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' });
  return code?.data || null;
}

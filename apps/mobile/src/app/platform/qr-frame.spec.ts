import { blankFrame, qrFrame } from '../testing/qr-image';
import { decodeQrFrame } from './qr-frame';

describe('decodeQrFrame', () => {
  it('reads the share link of a QR code as the Send screen draws it', () => {
    const link = 'https://files.example.org/p/7K3M9Q?t=Zx8-token';
    expect(decodeQrFrame(qrFrame(link))).toBe(link);
  });

  it('reads a small one too', () => {
    expect(decodeQrFrame(qrFrame('ABC123', 3, 2))).toBe('ABC123');
  });

  it('finds nothing in a frame without a QR code', () => {
    expect(decodeQrFrame(blankFrame())).toBeNull();
  });
});

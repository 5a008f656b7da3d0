import { randomBytes } from 'node:crypto';
import { openSuccessor, sealSuccessor } from './successor-seal.js';

const token = () => randomBytes(32).toString('base64url');
const ROW = '01890a5d-ac96-774b-bcce-b302099a8057';
const OTHER_ROW = '01890a5d-ac96-774b-bcce-b302099a8058';

describe('successor seal', () => {
  it('opens with the predecessor token and row it was sealed for', () => {
    const [predecessor, successor] = [token(), token()];
    expect(openSuccessor(predecessor, ROW, sealSuccessor(predecessor, ROW, successor))).toBe(successor);
  });

  it('holds the successor in no readable form', () => {
    const [predecessor, successor] = [token(), token()];
    const sealed = sealSuccessor(predecessor, ROW, successor);
    const bytes = Buffer.from(successor, 'base64url');
    for (const form of [successor, bytes.toString('hex'), bytes.toString('base64')]) {
      expect(sealed).not.toContain(form);
    }
    // A fresh nonce each time: sealing twice gives different values.
    expect(sealSuccessor(predecessor, ROW, successor)).not.toBe(sealed);
  });

  it('does not open with another token, another row, or a tampered value', () => {
    const [predecessor, successor] = [token(), token()];
    const sealed = sealSuccessor(predecessor, ROW, successor);
    const tampered = Buffer.from(sealed, 'base64url');
    tampered[20] = (tampered[20] ?? 0) ^ 1;

    expect(openSuccessor(token(), ROW, sealed)).toBeNull();
    expect(openSuccessor(predecessor, OTHER_ROW, sealed)).toBeNull();
    expect(openSuccessor(predecessor, ROW, tampered.toString('base64url'))).toBeNull();
    expect(openSuccessor(predecessor, ROW, 'short')).toBeNull();
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A file of random bytes in a fresh temporary folder, for a browser to upload. */
export function randomFile(name: string, sizeBytes: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lexy-web-e2e-')), name);
  writeFileSync(path, randomBytes(sizeBytes));
  return path;
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

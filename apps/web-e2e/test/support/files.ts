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

/** Downloads `url` from node (no browser) and returns the response's status and the SHA-256 of its body. */
export async function downloadSha256(url: string): Promise<{ status: number; sha256: string }> {
  const response = await fetch(url);
  const hash = createHash('sha256');
  if (response.body) for await (const chunk of response.body) hash.update(chunk);
  return { status: response.status, sha256: hash.digest('hex') };
}

import { Injectable } from '@nestjs/common';

/**
 * The downloads this gateway is streaming, by file, so that a file deleted or taken down while
 * someone downloads it stops at once instead of finishing (security-cases AZ-06).
 */
@Injectable()
export class ActiveDownloads {
  private readonly byFile = new Map<string, Set<() => void>>();

  /** Registers a running download and how to cut it; the returned function forgets it. */
  track(fileId: string, cut: () => void): () => void {
    let cuts = this.byFile.get(fileId);
    if (!cuts) this.byFile.set(fileId, (cuts = new Set()));
    cuts.add(cut);
    return () => {
      cuts.delete(cut);
      if (cuts.size === 0 && this.byFile.get(fileId) === cuts) this.byFile.delete(fileId);
    };
  }

  /** Cuts every running download of the file; answers how many there were. */
  cut(fileId: string): number {
    const cuts = this.byFile.get(fileId);
    if (!cuts) return 0;
    this.byFile.delete(fileId);
    for (const cut of cuts) cut();
    return cuts.size;
  }

  /** Downloads running now (tests and metrics). */
  get size(): number {
    let count = 0;
    for (const cuts of this.byFile.values()) count += cuts.size;
    return count;
  }
}

/**
 * How many relayed bytes pass between two sweeps of the young generation: twice the default
 * RELAY_HIGH_WATER_BYTES, so that a frame still queued for its receiver at one sweep has left by
 * the next and is never seen alive twice (which would promote it to the old generation). Fewer
 * bytes (2 MiB) promote queued frames; more (32 MiB) let V8's external-memory limit start full
 * collections again before the sweep comes (tools/bench/relay.mjs, ADR 0011).
 */
export const SWEEP_EVERY_BYTES = 8 * 1024 * 1024;

type MinorCollection = () => void;

/**
 * Sweeps V8's young generation every few megabytes of relayed bytes, when the process runs with
 * `--expose-gc` (the gateway starts its relay so, ADR 0011).
 *
 * Why: every chunk a socket reads, and every frame ws assembles, is a new buffer whose memory
 * lives outside the JS heap behind a small JS wrapper. Relaying allocates almost nothing else, so
 * the young generation fills too slowly for a scavenge to free those buffers; instead their
 * memory grows until V8's external-memory limit starts a full mark-compact of the whole heap —
 * about thirty per GiB relayed, the larger part of the relay's CPU. The wrappers are dead by the
 * time the next frames arrive, so a scavenge (well under a millisecond: little is alive in the
 * young generation) frees them and the limit is never reached. Measured with
 * tools/bench/relay.mjs: see docs/adr/0011.
 */
export class YoungGarbage {
  private sinceSweep = 0;

  constructor(
    private readonly everyBytes = SWEEP_EVERY_BYTES,
    private readonly collect: MinorCollection | undefined = exposedMinorCollection(),
  ) {}

  /** Counts bytes that went out; sweeps when enough have passed since the last sweep. */
  relayed(bytes: number): void {
    if (!this.collect) return;
    this.sinceSweep += bytes;
    if (this.sinceSweep < this.everyBytes) return;
    this.sinceSweep = 0;
    this.collect();
  }
}

/** `gc({type: 'minor'})` when Node runs with --expose-gc; otherwise nothing (V8 decides alone). */
function exposedMinorCollection(): MinorCollection | undefined {
  const gc = (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc;
  return typeof gc === 'function' ? () => gc({ type: 'minor' }) : undefined;
}

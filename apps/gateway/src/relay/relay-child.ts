import type { ShutdownState } from '@lexy/server-shutdown';
import { isHandOverNotice, type HandedUpgrade, type HandOverNotice } from '@lexy/server-websocket';
import { Logger } from '@nestjs/common';
import { fork, type ChildProcess } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The relay's built entry beside the gateway's (apps/gateway/dist → apps/relay/dist), in the repo and in the image. */
export const DEFAULT_RELAY_ENTRY = fileURLToPath(new URL('../../../relay/dist/main.js', import.meta.url));

/**
 * V8 flags of the relay child, in place of the gateway's young-generation size (ADR 0011):
 * - `--expose-gc` lets the relay sweep the young generation every few megabytes it relays, which
 *   frees the buffers of relayed frames (the relay's streaming/young-garbage.ts);
 * - a 16 MiB young generation (V8's default most; the gateway runs with 1 MiB) keeps the frames
 *   still queued for a receiver at a sweep from being promoted to the old generation;
 * - a 96 MiB initial old generation: V8 starts marking the old generation whenever its room left
 *   is under the young generation's size, which with a 16 MiB young generation and the relay's
 *   ~40 MB old one meant a full collection every few hundred milliseconds in the first gigabyte
 *   a relay relays (tools/bench/relay.mjs, --trace-gc: about twenty, then none). With room to
 *   spare they never start.
 */
export const RELAY_CHILD_NODE_FLAGS = ['--max-semi-space-size=16', '--initial-old-space-size=96', '--expose-gc'];

/**
 * glibc malloc settings of the relay child (ADR 0011). ws joins each frame of a device into a
 * new buffer of up to 1 MiB; with glibc's defaults the memory freed behind such frames is handed
 * back to the kernel (trimmed, or unmapped) and faulted in again for the next ones, about 60 000
 * page faults per GiB relayed and a quarter of the relay's CPU. Served from the heap below
 * 4 MiB and trimmed only past 32 MiB free, the same memory is reused: under 1 500 faults
 * per GiB, and the RSS no longer rises and falls with a lagging receiver. Ignored where the C
 * library is not glibc.
 */
export const RELAY_CHILD_MALLOC_TUNABLES = 'glibc.malloc.mmap_threshold=4194304:glibc.malloc.trim_threshold=33554432';

/** GLIBC_TUNABLES for the relay child: the relay's, then the operator's own, which win where both set one. */
export function relayChildTunables(operatorTunables: string | undefined): string {
  return operatorTunables ? `${RELAY_CHILD_MALLOC_TUNABLES}:${operatorTunables}` : RELAY_CHILD_MALLOC_TUNABLES;
}

/** The gateway's own Node flags less those RELAY_CHILD_NODE_FLAGS set otherwise. */
export function relayChildExecArgv(gatewayExecArgv: readonly string[]): string[] {
  const replaced = RELAY_CHILD_NODE_FLAGS.map((flag) => flag.split('=')[0]);
  return [
    ...gatewayExecArgv.filter((flag) => !replaced.includes(flag.split('=')[0] ?? flag)),
    ...RELAY_CHILD_NODE_FLAGS,
  ];
}

/**
 * Stops this process reading `socket` before its descriptor goes to the relay. Node keeps the
 * sender's handle open and reading until the child's acknowledgement arrives, and throws away
 * whatever it reads meanwhile (the handle's onread is a no-op once sent; nodejs/node#8353): a
 * device's first frame, sent as soon as the relay's 101 reached it, was lost that way about once
 * in thirty sockets, and its socket waited out the auth deadline (4401). Stopped here, those
 * bytes stay in the kernel for the relay to read. Node has no public call for it.
 */
function stopReadingHere(socket: Socket): void {
  (socket as unknown as { _handle?: { readStop?: () => number } | null })._handle?.readStop?.();
}

/** How the gateway learns that a handed socket closed (lexy_gateway_websocket_connections). */
export type SocketClosed = () => void;

/**
 * The relay running as this gateway's child process (ADR 0011). Each accepted upgrade on `/ws`
 * is handed to it whole — the TCP socket's descriptor over the IPC channel, with the request the
 * gateway read — so the devices' bytes go between the device and the relay without passing
 * through the gateway. The relay tells when a handed socket closes.
 */
export class RelayChild {
  private readonly logger = new Logger('relay-child');
  private child: ChildProcess | undefined;
  private ready = false;
  private stopping = false;
  private nextId = 1;
  private readonly open = new Map<number, SocketClosed>();

  constructor(
    private readonly entry: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Starts the relay; `onCrash` runs when it exits while it was not being stopped. */
  start(onCrash: (code: number | null, signal: NodeJS.Signals | null) => void): void {
    const child = fork(this.entry, [], {
      env: {
        ...this.env,
        RELAY_WS_FROM_PARENT: 'true',
        GLIBC_TUNABLES: relayChildTunables(this.env['GLIBC_TUNABLES']),
      },
      execArgv: relayChildExecArgv(process.execArgv),
      stdio: 'inherit',
    });
    this.child = child;
    child.on('message', (notice: unknown) => isHandOverNotice(notice) && this.heard(notice));
    child.once('exit', (code, signal) => {
      this.ready = false;
      for (const closed of this.open.values()) closed();
      this.open.clear();
      if (!this.stopping) onCrash(code, signal);
    });
    // A send racing the child's exit fails with EPIPE; the exit handler above says what happened.
    child.on('error', (error) => this.logger.warn(`relay child: ${error.message}`));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Whether the relay takes sockets now (started and listening, not stopping). */
  get accepting(): boolean {
    return this.ready && !this.stopping;
  }

  /**
   * Hands `socket` to the relay, which answers the upgrade; the gateway's side of the socket is
   * closed once sent. `rawHeaders` are the request's, as the relay should see them.
   */
  handOver(request: IncomingMessage, rawHeaders: string[], socket: Socket, head: Buffer, opened: () => SocketClosed) {
    const child = this.child;
    if (!child || !this.accepting) return false;
    const id = this.nextId++;
    const upgrade: HandedUpgrade = {
      type: 'lexy.ws.upgrade',
      id,
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      rawHeaders,
      head: head.toString('base64'),
    };
    this.open.set(id, opened());
    // Node treats a socket of a server sent to a child as that server's connection shared with a
    // cluster worker: the server's close would then wait on the child, for ever once it is gone.
    // Detached, the socket is this side's to end once sent, and the server counts it closed.
    (socket as unknown as { server: unknown }).server = null;
    stopReadingHere(socket);
    child.send(upgrade, socket, (error) => {
      socket.destroy();
      if (error) this.closed(id);
    });
    return true;
  }

  /** Ends the relay with SIGTERM (it drains its sockets) and waits for it within the grace period. */
  async stop(shutdown: ShutdownState): Promise<'drained' | 'deadline'> {
    const child = this.child;
    this.stopping = true;
    if (!child || child.exitCode !== null || child.signalCode !== null) return 'drained';
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const outcome = await shutdown.within(exited);
    if (outcome === 'deadline') {
      this.logger.warn('grace period over: killing the relay');
      child.kill('SIGKILL');
      await exited;
    }
    return outcome;
  }

  private heard(notice: HandOverNotice): void {
    if (notice.type === 'lexy.ws.ready') {
      this.ready = true;
      this.logger.log(`relay (pid ${this.child?.pid}) takes the devices' sockets`);
    } else {
      this.closed(notice.id);
    }
  }

  /** A handed socket ended (the relay said so, or it never arrived): it is counted closed, once. */
  private closed(id: number): void {
    this.open.get(id)?.();
    this.open.delete(id);
  }
}

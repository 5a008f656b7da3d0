import { DomainError, ErrorCode } from '@lexy/server-errors';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from './clock.js';
import type { GroupEntity, TrafficWindowValue } from './group.entity.js';
import type { QuotaAccount } from './quota-account.js';
import { QuotaRepository, type TrafficReservationRow } from './quota.repository.js';
import { TrafficCounters } from './traffic-counters.js';
import { secondsUntilReset, trafficPeriodAt, trafficWindowOf, type TrafficPeriod } from './traffic-window.js';

export const TRAFFIC_COUNTERS = Symbol('TRAFFIC_COUNTERS');

/**
 * Download traffic: what a caller's account has sent in the current window (QR-02), and
 * the admission of each download against what is left of its limit.
 *
 * The one rule: a download is admitted only if its whole length fits into the allowance
 * left in the window current at admission (downloads in flight counted in full), and all
 * the bytes it actually sends are charged to that window, even those sent after the reset.
 */
@Injectable()
export class TrafficService {
  private readonly logger = new Logger('traffic');

  constructor(
    private readonly repository: QuotaRepository,
    @Inject(TRAFFIC_COUNTERS) private readonly counters: TrafficCounters,
    private readonly clock: Clock,
  ) {}

  /** Bytes the account has sent in its group's current window (downloads in flight not included). */
  sentInWindow(accountId: string, group: GroupEntity): Promise<number> {
    const period = trafficPeriodAt(trafficWindowOf(group), this.clock.now());
    return this.repository.sumTraffic(accountId, period.firstDay, period.today);
  }

  /** Reserves `bytes` for one download; null when the group has no traffic limit. */
  async reserve(account: QuotaAccount, group: GroupEntity, bytes: number): Promise<string | null> {
    if (group.trafficBytes === null) return null;
    const limitBytes = group.trafficBytes;
    const nowMs = this.clock.now();
    const period = trafficPeriodAt(trafficWindowOf(group), nowMs);
    const row: TrafficReservationRow = {
      id: uuidv7(),
      accountId: account.accountId,
      window: period.window,
      firstDay: period.firstDay,
      day: period.today,
      bytes,
    };
    const key = this.counters.key(account.accountId, period);
    let outcome;
    try {
      // The counter exists before the ledger row does, and the row before the counter
      // counts it: any rebuild from here on sees the row, so no admitted download can be
      // missing from the counter (see ensureCounter for the rest of the argument).
      await this.ensureCounter(key, account.accountId, period, nowMs, 0);
      await this.repository.insertTrafficReservation(row, new Date(nowMs));
      outcome = await this.counters.admit(key, bytes, limitBytes);
      if (outcome.kind === 'missing') {
        // Redis lost the counter between those steps: rebuilt now, it holds our row already.
        await this.ensureCounter(key, account.accountId, period, nowMs, bytes);
        outcome = await this.counters.admit(key, bytes, limitBytes);
        if (outcome.kind === 'missing') throw new Error('the traffic counter vanished right after its rebuild');
      }
    } catch (error) {
      await this.dropReservation(row);
      this.logger.warn(`traffic admission failed closed: ${(error as Error).message}`);
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'Traffic accounting is unavailable, try again shortly', {
        retryAfterSeconds: 5,
      });
    }
    if (outcome.kind === 'admitted') return row.id;
    await this.dropReservation(row);
    throw trafficExceeded(period, limitBytes, outcome.countedBytes, bytes, nowMs);
  }

  /** Charges the bytes a download actually sent and gives the rest back; a second settle changes nothing. */
  async settle(accountId: string, reservationId: string, sentBytes: number): Promise<void> {
    const reservation = await this.repository.findTrafficReservation(accountId, reservationId);
    if (!reservation) return;
    const sent = Math.min(sentBytes, reservation.bytes);
    const nowMs = this.clock.now();
    const period = periodOf(reservation);
    try {
      // Redis first: should the ledger write below fail, the counter stays too high, never too low.
      await this.counters.settle(
        this.counters.key(accountId, period),
        reservation.id,
        reservation.bytes - sent,
        period,
        nowMs,
      );
    } catch (error) {
      this.logger.warn(`traffic counter not lowered (it stays conservative): ${(error as Error).message}`);
    }
    await this.repository.settleTrafficReservation(reservation, sent);
  }

  /** Records bytes sent outside a reservation (a group without a traffic limit) to today. */
  async record(accountId: string, bytes: number): Promise<void> {
    const nowMs = this.clock.now();
    const windows: TrafficWindowValue[] = ['day', 'month'];
    const periods = windows.map((window) => trafficPeriodAt(window, nowMs));
    await this.repository.addTraffic(accountId, periods[0]!.today, bytes);
    // Should the group get a limit again within this window, its live counter must know.
    await this.counters
      .addIfPresent(
        periods.map((period) => this.counters.key(accountId, period)),
        bytes,
      )
      .catch((error: Error) => this.logger.warn(`traffic counter not raised: ${error.message}`));
  }

  /**
   * Creates a missing counter from the ledger: bytes sent in the window plus every
   * reservation of it, less `ownBytes` (a reservation of the caller's that admit is about
   * to add). Replicas racing to rebuild agree through SET NX; a rebuild reads only rows
   * inserted before its SET, and a request inserts its row only after its own attempt, so
   * a cold start counts nothing twice. Only a counter lost while another download sits
   * between its insert and its admit can count that download twice: too high, the safe side.
   */
  private async ensureCounter(key: string, accountId: string, period: TrafficPeriod, nowMs: number, ownBytes: number) {
    if (await this.counters.exists(key)) return;
    const [sent, reserved] = await Promise.all([
      this.repository.sumTraffic(accountId, period.firstDay, period.today),
      this.repository.sumTrafficReservations(accountId, period.firstDay, period.today),
    ]);
    await this.counters.seed(key, sent + reserved - ownBytes, period, nowMs);
  }

  private async dropReservation(row: TrafficReservationRow): Promise<void> {
    await this.repository
      .deleteTrafficReservation(row.accountId, row.id)
      .catch((error: Error) => this.logger.warn(`refused traffic reservation left behind: ${error.message}`));
  }
}

/** The window a reservation was admitted in. */
function periodOf(reservation: TrafficReservationRow): TrafficPeriod {
  return trafficPeriodAt(reservation.window, Date.parse(`${reservation.firstDay}T00:00:00Z`));
}

function trafficExceeded(
  period: TrafficPeriod,
  limitBytes: number,
  usedBytes: number,
  requestedBytes: number,
  nowMs: number,
): DomainError {
  const what = period.window === 'day' ? 'Daily' : 'Monthly';
  return new DomainError(ErrorCode.QUOTA_EXCEEDED, `${what} download traffic quota exceeded`, {
    quota: 'traffic',
    window: period.window,
    limitBytes,
    usedBytes,
    remainingBytes: Math.max(0, limitBytes - usedBytes),
    requestedBytes,
    resetsAt: new Date(period.resetsAtMs).toISOString(),
    retryAfterSeconds: secondsUntilReset(period, nowMs),
  });
}

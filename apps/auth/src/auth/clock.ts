/**
 * The service's notion of "now". Everything time-dependent (token iat/exp, session
 * expiry) reads it from here, so tests can move time instead of waiting for it.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

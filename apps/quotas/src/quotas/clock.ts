/** The service's notion of now, in milliseconds; tests replace it to cross day and month boundaries. */
export abstract class Clock {
  abstract now(): number;
}

export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}

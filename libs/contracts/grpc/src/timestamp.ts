import type { Timestamp } from './generated/google/protobuf/timestamp.js';

/** Date → google.protobuf.Timestamp (millisecond precision, as the database keeps it). */
export function toTimestamp(date: Date): Timestamp {
  const millis = date.getTime();
  return { seconds: Math.floor(millis / 1000), nanos: (((millis % 1000) + 1000) % 1000) * 1_000_000 };
}

/** google.protobuf.Timestamp → Date; an absent timestamp stays absent. */
export function fromTimestamp(timestamp: Timestamp | undefined): Date | undefined {
  if (!timestamp) return undefined;
  return new Date(timestamp.seconds * 1000 + Math.floor(timestamp.nanos / 1_000_000));
}

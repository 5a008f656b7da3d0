import { v7 as uuidv7 } from 'uuid';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A new device or transfer id: a UUIDv7, as the other services make theirs. Its time prefix
 * keeps primary-key inserts at the end of the index; its 16 bytes prefix the binary frames.
 */
export function newId(): string {
  return uuidv7();
}

/** An id as stored (lower-case UUID), or null for anything that cannot be one; never a query error. */
export function parseId(value: string): string | null {
  const id = value.toLowerCase();
  return UUID.test(id) ? id : null;
}

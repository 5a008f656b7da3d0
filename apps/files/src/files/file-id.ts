const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An id as stored (lower-case UUID), or null for anything that cannot be one; never a query error. */
export function parseId(value: string): string | null {
  const id = value.toLowerCase();
  return UUID.test(id) ? id : null;
}

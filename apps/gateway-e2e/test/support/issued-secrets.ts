import { appendFileSync } from 'node:fs';
import type http from 'node:http';

// security-cases AZ-06: the platform's logs must hold none of the secrets the tests were given
// or sent. Every request of the suite passes through here; what it finds is appended to a file
// that the global teardown checks the platform's logs against.

/** Response fields that are secrets: tokens, pickup codes, passes, tickets, link tokens. */
const SECRET_FIELDS = new Set(['accessToken', 'refreshToken', 'code', 'pass', 'ticket', 'linkToken']);
/** The shortest value worth looking for; shorter ones would match by chance. */
const MIN_LENGTH = 6;

function collect(value: unknown, into: Set<string>, key = ''): void {
  if (typeof value === 'string') {
    if (SECRET_FIELDS.has(key) && value.length >= MIN_LENGTH) into.add(value);
    if (key === 'shareUrl') {
      const token = new URL(value).searchParams.get('t');
      if (token) into.add(token);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, into);
  } else if (value && typeof value === 'object') {
    for (const [name, item] of Object.entries(value)) collect(item, into, name);
  }
}

/** Secrets in what a test sent (bearer tokens, PINs) and in the JSON it got back. */
export function secretsOf(
  headers: http.OutgoingHttpHeaders,
  responseHeaders: http.IncomingHttpHeaders,
  body: Buffer,
): string[] {
  const found = new Set<string>();
  const authorization = headers['authorization'] ?? headers['Authorization'];
  if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) found.add(authorization.slice(7));
  const pin = headers['x-pickup-pin'] ?? headers['X-Pickup-Pin'];
  if (typeof pin === 'string' && pin.length >= MIN_LENGTH) found.add(pin);
  const ticket = responseHeaders['x-download-ticket'];
  if (typeof ticket === 'string') found.add(ticket);
  const code = responseHeaders['x-pickup-code'];
  if (typeof code === 'string') found.add(code);
  if (String(responseHeaders['content-type'] ?? '').startsWith('application/json') && body.length > 0) {
    try {
      collect(JSON.parse(body.toString('utf8')), found);
    } catch {
      // Not JSON after all: nothing to collect.
    }
  }
  return [...found];
}

export function rememberSecrets(secrets: string[]): void {
  const file = process.env['E2E_SECRETS_FILE'];
  if (file && secrets.length > 0) appendFileSync(file, `${secrets.join('\n')}\n`);
}

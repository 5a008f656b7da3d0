import { existsSync, readFileSync } from 'node:fs';

/**
 * security-cases AZ-06: none of the secrets the tests were issued or sent (access and refresh
 * tokens, pickup codes, PINs, passes, tickets, link tokens) may appear in the platform's logs.
 * Fails the run, naming the kind of leak and the service, never the secret itself.
 */
function leaksIn(logs, secrets) {
  const leaks = [];
  for (const line of logs) {
    for (const secret of secrets) {
      // A pickup code is short: only a whole-word occurrence counts.
      const found = secret.length > 8 ? line.includes(secret) : new RegExp(`\\b${secret}\\b`).test(line);
      if (found) leaks.push(`${line.slice(0, line.indexOf(']') + 1)} a ${secret.length}-character secret`);
    }
  }
  return leaks;
}

export default async function globalTeardown() {
  await globalThis.__LEXY_PLATFORM__?.stop();
  const file = process.env.E2E_SECRETS_FILE;
  if (!file || !existsSync(file)) return;
  const secrets = [
    ...new Set(
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => /^[\w.~+/=-]{6,}$/.test(line)),
    ),
  ];
  const leaks = leaksIn(globalThis.__LEXY_LOGS__ ?? [], secrets);
  if (leaks.length > 0) {
    throw new Error(
      `The platform logged ${leaks.length} secret(s) the tests were issued:\n${leaks.slice(0, 20).join('\n')}`,
    );
  }
  console.log(`logs checked: none of the ${secrets.length} secrets issued to the tests was logged`);
}

// Turns the services' JSON log lines into one readable, prefixed line each.
const COLORS = { gateway: 36, auth: 35, files: 32, quotas: 33, relay: 31, s3: 34, migrate: 90 };
const LEVEL_COLORS = { error: 31, fatal: 31, warn: 33 };
const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (useColor && code ? `\u001b[${code}m${text}\u001b[0m` : text);
const HIDDEN = new Set(['level', 'time', 'service', 'msg', 'context', 'pid', 'hostname']);

export function formatLogLine(service, line) {
  const prefix = paint(COLORS[service], `[${service.padEnd(7)}]`);
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return `${prefix} ${line}`;
  }
  if (typeof entry !== 'object' || entry === null) return `${prefix} ${line}`;
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : '';
  const level = String(entry.level ?? 'info');
  const extras = Object.entries(entry)
    .filter(([key]) => !HIDDEN.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  const context = entry.context ? `${entry.context}: ` : '';
  return `${prefix} ${time} ${paint(LEVEL_COLORS[level], level.toUpperCase().padEnd(5))} ${context}${entry.msg ?? ''}${extras ? `  ${paint(90, extras)}` : ''}`;
}

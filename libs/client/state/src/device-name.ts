/** A name a person recognises their browser by, such as "Chromium on Linux", from its user agent. */
export function deviceNameFrom(userAgent: string): string {
  const browser =
    [
      [/Edg\//, 'Edge'],
      [/OPR\//, 'Opera'],
      [/Firefox\//, 'Firefox'],
      [/Chromium\//, 'Chromium'],
      [/Chrome\//, 'Chrome'],
      [/Safari\//, 'Safari'],
    ].find(([pattern]) => (pattern as RegExp).test(userAgent))?.[1] ?? 'Browser';
  const system =
    [
      [/Android/, 'Android'],
      [/iPhone|iPad|iPod/, 'iOS'],
      [/Windows/, 'Windows'],
      [/Mac OS X|Macintosh/, 'macOS'],
      [/CrOS/, 'ChromeOS'],
      [/Linux/, 'Linux'],
    ].find(([pattern]) => (pattern as RegExp).test(userAgent))?.[1] ?? null;
  // Headless Chromium names itself HeadlessChrome: still Chromium to a person.
  const name = /HeadlessChrome/.test(userAgent) ? 'Chromium' : browser;
  return system ? `${name} on ${system}` : String(name);
}

/** Where this browser's device id is kept for an account. */
export const deviceKey = (userId: string) => `lexy.device.${userId}`;

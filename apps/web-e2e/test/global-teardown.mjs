export default async function globalTeardown() {
  await globalThis.__LEXY_MOBILE_APP__?.close();
  await globalThis.__LEXY_WEB_PLATFORM__?.stop();
}

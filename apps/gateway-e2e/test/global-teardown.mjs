export default async function globalTeardown() {
  await globalThis.__LEXY_PLATFORM__?.stop();
}

export default async function globalTeardown() {
  await globalThis.__LEXY_CLUSTER__?.stop();
}

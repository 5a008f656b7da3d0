// Debian's Chromium as the browser tests drive it (docs: ../shared toolchain.md): its path and
// the flags it needs here (root in a container, no GPU, nothing phoning home). A test tool's
// own browser download cannot be had on this network; tools/ensure-chromium.mjs installs it.

/** WEB_E2E_CHROMIUM names another Chromium. */
export const CHROMIUM_PATH = process.env.WEB_E2E_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

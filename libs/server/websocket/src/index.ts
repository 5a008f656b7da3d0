export { isHandedUpgrade, isHandOverNotice, type HandedUpgrade, type HandOverNotice } from './hand-over.js';
export { refuseUpgrade } from './refuse-upgrade.js';

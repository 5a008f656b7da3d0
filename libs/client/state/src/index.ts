// The client state both apps share (the web app and the Ionic mobile app): the session, the
// typed API client bound to it, uploads, pickups, the account's files, devices and transfers.
// Each platform swaps what differs through injection tokens: API_BASE_URL (where the gateway
// is), SESSION_PERSISTENCE (where tokens are kept), FileSaver (where received files go), TUS
// (where unfinished uploads are remembered).
export * from './account.service';
export * from './api';
export * from './api-base-url';
export * from './device-identity';
export * from './device-name';
export * from './devices.service';
export * from './error-texts';
export * from './my-account.service';
export * from './my-files.service';
export * from './pickup-challenge.solver';
export * from './pickup.service';
export * from './pinless-url-storage';
export * from './save-file';
export * from './session-persistence';
export * from './session-watch';
export * from './session.store';
export * from './unit-texts';
export * from './upload-queue';
export * from './upload.service';

import createClient, { type Client } from 'openapi-fetch';
import { apiErrorFromResponse, networkError } from './api-error.js';
import type { components, paths } from './generated/schema.js';

type Schemas = components['schemas'];
export type FileView = Schemas['FileView'];
export type PickupFileView = Schemas['PickupFileView'];
export type SessionResponse = Schemas['SessionResponse'];
export type MeResponse = Schemas['MeResponse'];
export type UserView = Schemas['UserView'];
export type LimitsView = Schemas['LimitsView'];
export type UsageView = Schemas['UsageView'];
export type DeviceView = Schemas['DeviceView'];
export type DevicePlatform = DeviceView['platform'];
export type TransferView = Schemas['TransferView'];
export type TransferFileRequest = Schemas['TransferFileRequest'];

export interface ApiClientOptions {
  /** Origin (and path prefix) of the gateway, e.g. "http://localhost:8080"; "" for the page's own origin. */
  baseUrl: string;
  /** Asked before each request; a token makes it `Authorization: Bearer <token>`. */
  accessToken?: () => string | null | Promise<string | null>;
  fetch?: (request: Request) => Promise<Response>;
}

export type RawApiClient = Client<paths>;

/** The generated, fully typed client (openapi-fetch) with the bearer token added to every request. */
export function createRawApiClient(options: ApiClientOptions): RawApiClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  client.use({
    async onRequest({ request }) {
      const token = await options.accessToken?.();
      if (token && !request.headers.has('authorization')) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  });
  return client;
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful call; any failure is thrown as an ApiError. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (cause) {
    throw networkError(cause);
  }
  if (!result.response.ok) throw apiErrorFromResponse(result.response, result.error);
  return result.data as T;
}

export interface PickupAccess {
  /** The share link's token (`?t=`), which skips the guessing limits. */
  token?: string | null;
  pin?: string | null;
  /** A solved proof-of-work challenge (pickupChallengeHeader), after a 428 CHALLENGE_REQUIRED. */
  challenge?: string | null;
}

function pickupHeaders(access: PickupAccess): Record<string, string> {
  return {
    ...(access.pin ? { 'X-Pickup-Pin': access.pin } : {}),
    ...(access.challenge ? { 'X-Pickup-Challenge': access.challenge } : {}),
  };
}

/** The calls the clients make, each returning its data or throwing an ApiError. */
export function createApiClient(options: ApiClientOptions) {
  const raw = createRawApiClient(options);
  const base = options.baseUrl.replace(/\/+$/, '');
  const downloadUrl = (code: string, query?: { t?: string | null; pass?: string }) => {
    const search = Object.entries(query ?? {})
      .filter((entry): entry is [string, string] => Boolean(entry[1]))
      .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
      .join('&');
    return `${base}/api/v1/files/pickup/${encodeURIComponent(code)}/download${search ? `?${search}` : ''}`;
  };
  return {
    raw,
    register: (body: { email: string; password: string; displayName?: string }) =>
      unwrap(raw.POST('/api/v1/auth/register', { body })),
    login: (body: { email: string; password: string }) => unwrap(raw.POST('/api/v1/auth/login', { body })),
    refresh: (refreshToken: string) => unwrap(raw.POST('/api/v1/auth/refresh', { body: { refreshToken } })),
    logout: (refreshToken: string) => unwrap(raw.POST('/api/v1/auth/logout', { body: { refreshToken } })),
    me: () => unwrap(raw.GET('/api/v1/auth/me')),
    files: () => unwrap(raw.GET('/api/v1/files')),
    deleteFile: (id: string) => unwrap(raw.DELETE('/api/v1/files/{id}', { params: { path: { id } } })),
    /** Back from expired to active with a fresh retention, during the redemption window. */
    restoreFile: (id: string) => unwrap(raw.POST('/api/v1/files/{id}/restore', { params: { path: { id } } })),
    fileByUpload: (uploadId: string) =>
      unwrap(raw.GET('/api/v1/files/by-upload/{uploadId}', { params: { path: { uploadId } } })),
    pickup: (code: string, access: PickupAccess = {}) =>
      unwrap(
        raw.GET('/api/v1/files/pickup/{code}', {
          params: {
            path: { code },
            query: access.token ? { t: access.token } : {},
            header: pickupHeaders(access),
          },
        }),
      ),
    /** Where the bytes of a pickup are; a PIN still has to travel in the X-Pickup-Pin header. */
    pickupDownloadUrl: (code: string, token?: string | null) => downloadUrl(code, { t: token }),
    /**
     * A single-use pass (60 s) for a plain download link: what a link cannot send (the PIN, a
     * solved challenge) is checked here, so the browser streams the download to disk.
     */
    downloadPass: (code: string, access: PickupAccess = {}) =>
      unwrap(
        raw.POST('/api/v1/files/pickup/{code}/download-pass', {
          params: {
            path: { code },
            query: access.token ? { t: access.token } : {},
            header: pickupHeaders(access),
          },
        }),
      ),
    /** The download link that a pass opens once. */
    passDownloadUrl: (code: string, pass: string) => downloadUrl(code, { pass }),
    devices: () => unwrap(raw.GET('/api/v1/devices')),
    registerDevice: (body: { name: string; platform: DevicePlatform; fingerprint?: string }) =>
      unwrap(raw.POST('/api/v1/devices', { body })),
    /** A device-to-device offer of files the sending device streams itself (mode `relay`). */
    offerRelay: (body: { fromDeviceId: string; toDeviceId: string; files: TransferFileRequest[] }) =>
      unwrap(raw.POST('/api/v1/transfers', { body: { ...body, mode: 'relay' } })),
    transfers: () => unwrap(raw.GET('/api/v1/transfers')),
    acceptTransfer: (id: string) => unwrap(raw.POST('/api/v1/transfers/{id}/accept', { params: { path: { id } } })),
    rejectTransfer: (id: string) => unwrap(raw.POST('/api/v1/transfers/{id}/reject', { params: { path: { id } } })),
    cancelTransfer: (id: string) => unwrap(raw.POST('/api/v1/transfers/{id}/cancel', { params: { path: { id } } })),
    /** The bearer token the other calls send, for requests made outside this client (tus uploads). */
    accessToken: async () => (await options.accessToken?.()) ?? null,
    /** The tus endpoint for resumable uploads. */
    uploadsEndpoint: `${base}/api/v1/uploads`,
    /**
     * How far an unfinished tus upload has come by the server's count (a tus HEAD); throws an
     * ApiError when the server no longer knows it (404/410) or refuses.
     */
    uploadOffset: async (uploadUrl: string): Promise<{ offset: number; length: number }> => {
      const headers = new Headers({ 'Tus-Resumable': '1.0.0' });
      const token = await options.accessToken?.();
      if (token) headers.set('Authorization', `Bearer ${token}`);
      const request = new Request(uploadUrl, { method: 'HEAD', headers });
      let response: Response;
      try {
        response = await (options.fetch ?? globalThis.fetch)(request);
      } catch (cause) {
        throw networkError(cause);
      }
      if (!response.ok) throw apiErrorFromResponse(response, undefined);
      return {
        offset: Number(response.headers.get('Upload-Offset') ?? 0),
        length: Number(response.headers.get('Upload-Length') ?? 0),
      };
    },
    /** The relay's WebSocket on the same gateway. */
    socketUrl: `${base.replace(/^http/, 'ws')}/ws`,
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

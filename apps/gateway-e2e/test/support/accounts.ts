import { randomBytes, randomInt } from 'node:crypto';
import { api, json, request, type RawResponse } from './e2e.js';

/** A source address of its own per test (the e2e gateway trusts 127.0.0.1 as a proxy). */
export const newSource = () => ({ 'x-forwarded-for': `198.51.${randomInt(0, 255)}.${randomInt(1, 254)}` });

export const newEmail = () => `user-${randomBytes(6).toString('hex')}@e2e.lexy.test`;

function sendJson(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<RawResponse> {
  return request(method, api(path), {
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

export const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  sendJson('POST', path, body, headers);

/** PATCH /admin/users/:id as whoever `headers` identify. */
export const patchUser = (userId: string, changes: Record<string, unknown>, headers: Record<string, string> = {}) =>
  sendJson('PATCH', `/admin/users/${userId}`, changes, headers);

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export interface Session {
  user: { id: string; email: string; group: string };
  accessToken: string;
  refreshToken: string;
}

export async function register(email = newEmail(), password = 'correct horse battery', headers = newSource()) {
  const response = await postJson('/auth/register', { email, password }, headers);
  if (response.status !== 201) throw new Error(`register answered ${response.status}: ${response.body}`);
  return { ...(json(response) as Session), email, password };
}

export async function login(email: string, password: string, headers: Record<string, string> = newSource()) {
  const response = await postJson('/auth/login', { email, password }, headers);
  if (response.status !== 200) throw new Error(`login answered ${response.status}: ${response.body}`);
  return json(response) as Session;
}

export const adminCredentials = () => ({
  email: process.env['E2E_ADMIN_EMAIL'] ?? '',
  password: process.env['E2E_ADMIN_PASSWORD'] ?? '',
});

export const loginAdmin = () => login(adminCredentials().email, adminCredentials().password);

export const me = (token: string) => request('GET', api('/auth/me'), { headers: bearer(token) });

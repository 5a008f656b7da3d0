import { Readable } from 'node:stream';
import { postJson } from './support/accounts.js';
import { api, json, query, request, uploadMultipart } from './support/e2e.js';

describe('retention', () => {
  it('gives every file expiresAt from its group retention; after it the code stops resolving and the owner sees it expired', async () => {
    const session = json(await postJson('/auth/anonymous', {}));
    const headers = { authorization: `Bearer ${session['accessToken']}` };
    const uploaded = await uploadMultipart(Readable.from([Buffer.from('short-lived')]), { headers });
    expect(uploaded.status).toBe(201);
    const file = json(uploaded)['file'];
    // anonymous retention: 15 minutes (api.md), redemption: 7 days after that
    expect(Date.parse(file.expiresAt) - Date.parse(file.createdAt)).toBe(15 * 60 * 1000);
    expect(Date.parse(file.purgeAt) - Date.parse(file.expiresAt)).toBe(7 * 86_400 * 1000);
    // Looked up with the share link's token, which the files service checks every time: a
    // bare code would now be remembered by the gateway, with the expiry below unannounced.
    const linkToken = new URL(file.shareUrl).searchParams.get('t') ?? '';
    expect((await request('GET', api(`/files/pickup/${file.code}?t=${linkToken}`))).status).toBe(200);

    // The retention ends (by the database clock, which decides; the end of a remembered
    // answer's retention is checked by the gateway's clock, see pickup-view-cache.spec.ts).
    await query('files', 'UPDATE files SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = ?', [file.id]);
    const pickup = await request('GET', api(`/files/pickup/${file.code}`));
    expect(pickup.status).toBe(404);
    expect(json(pickup)['error'].code).toBe('PICKUP_CODE_NOT_FOUND');
    const owned = await request('GET', api(`/files/${file.id}`), { headers });
    expect(json(owned)['file'].status).toBe('expired');
  });
});

import { api, eventually, json, query, request } from './support/e2e.js';
import { bearer, postJson, register } from './support/accounts.js';

// A transfer offer nobody answers in time: the API shows it expired at once, and the cleanup
// worker's `expire-offers` tick (every second here) records it so in the relay's database.
type Headers = Record<string, string>;

async function registeredDevice(auth: Headers, name: string, platform: string): Promise<string> {
  const response = await postJson('/devices', { name, platform }, auth);
  expect(response.status).toBe(201);
  return (json(response).device as { id: string }).id;
}

const rowStatus = async (transferId: string) =>
  (await query<{ status: string }>('relay', 'SELECT status FROM transfers WHERE id = ?', [transferId]))[0]?.status;

describe('offer expiry', () => {
  it('records an unanswered offer as expired once its expiry passed, and it stays unanswerable', async () => {
    const auth = bearer((await register()).accessToken);
    const laptop = await registeredDevice(auth, 'Laptop', 'linux');
    const phone = await registeredDevice(auth, 'Phone', 'android');
    const offer = async () => {
      const created = await postJson(
        '/transfers',
        { fromDeviceId: laptop, toDeviceId: phone, files: [{ name: 'a.txt', size: 3 }], mode: 'relay' },
        auth,
      );
      expect(created.status).toBe(201);
      return json(created).transfer as { id: string; status: string };
    };
    const transfer = await offer();
    const fresh = await offer();
    expect(transfer.status).toBe('pending');
    expect(await rowStatus(transfer.id)).toBe('pending');

    // As if its TTL had run out.
    await query('relay', 'UPDATE transfers SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = ?', [
      transfer.id,
    ]);

    // The row itself, not the API (which already shows an overdue offer as expired).
    expect(
      await eventually(
        () => rowStatus(transfer.id),
        (status) => status === 'expired',
      ),
    ).toBe('expired');

    const shown = await request('GET', api(`/transfers/${transfer.id}`), { headers: auth });
    expect(shown.status).toBe(200);
    expect(json(shown).transfer.status).toBe('expired');
    const accepted = await request('POST', api(`/transfers/${transfer.id}/accept`), { headers: auth });
    expect(accepted.status).toBe(409);
    expect(json(accepted).error).toMatchObject({ code: 'TRANSFER_STATE_CONFLICT', details: { status: 'expired' } });
    expect(await rowStatus(transfer.id)).toBe('expired');
    // The ticks that expired it left the offer still within its TTL alone.
    expect(await rowStatus(fresh.id)).toBe('pending');
    expect(json(await request('GET', api(`/transfers/${fresh.id}`), { headers: auth })).transfer.status).toBe(
      'pending',
    );
  });
});

import type { IncomingMessage } from 'node:http';
import {
  PEER_PATH,
  PEER_SECRET_HEADER,
  hasPeerSecret,
  parsePeerFrame,
  peerLinkUrl,
  peerTargetOf,
  type PeerTarget,
} from './peer-protocol.js';

const TARGET: PeerTarget = {
  transferId: '0190a000-0000-7000-8000-000000000001',
  ownerId: 'user 1/&?',
  deviceId: 'device-1',
};

/** The parts of an upgrade request the peer protocol reads. */
const request = (url: string | undefined, headers: IncomingMessage['headers'] = {}) =>
  ({ url, headers }) as IncomingMessage;

/** The path and query a peer's upgrade request carries for the URL it was opened with. */
const requestPathOf = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};

const text = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('peerLinkUrl and peerTargetOf', () => {
  it('round-trip a target through the link URL, escaping what needs it', () => {
    const url = peerLinkUrl('ws://10.0.0.2:50056', TARGET);
    expect(url.startsWith(`ws://10.0.0.2:50056${PEER_PATH}?`)).toBe(true);
    expect(peerTargetOf(request(requestPathOf(url)))).toEqual(TARGET);
  });

  it('puts the link on the peer path even when the replica URL has a path of its own', () => {
    expect(new URL(peerLinkUrl('wss://relay-2.internal/somewhere/', TARGET)).pathname).toBe(PEER_PATH);
  });

  it.each([
    ['another path', `/ws?transferId=t&ownerId=o&deviceId=d`],
    ['no transfer id', `${PEER_PATH}?ownerId=o&deviceId=d`],
    ['no owner id', `${PEER_PATH}?transferId=t&deviceId=d`],
    ['an empty device id', `${PEER_PATH}?transferId=t&ownerId=o&deviceId=`],
    ['no query at all', PEER_PATH],
  ])('finds no target in a request with %s', (_name, url) => {
    expect(peerTargetOf(request(url))).toBeNull();
  });

  it('finds no target in a request without a URL', () => {
    expect(peerTargetOf(request(undefined))).toBeNull();
  });
});

describe('hasPeerSecret', () => {
  const secret = 'internal-caller-secret';

  it('accepts the internal secret in the peer header', () => {
    expect(hasPeerSecret(request(PEER_PATH, { [PEER_SECRET_HEADER]: secret }), secret)).toBe(true);
  });

  it.each([
    ['a missing header', {}],
    ['a wrong secret', { [PEER_SECRET_HEADER]: 'internal-caller-secreT' }],
    ['a prefix of the secret', { [PEER_SECRET_HEADER]: 'internal' }],
    ['an empty header', { [PEER_SECRET_HEADER]: '' }],
    ['the header repeated', { [PEER_SECRET_HEADER]: [secret, secret] }],
    ['the secret in another header', { authorization: secret }],
  ])('refuses %s', (_name, headers) => {
    expect(hasPeerSecret(request(PEER_PATH, headers as IncomingMessage['headers']), secret)).toBe(false);
  });
});

describe('parsePeerFrame', () => {
  it('reads a deliver frame with its event', () => {
    const frame = { type: 'deliver', event: { type: 'transfer.progress', transferId: TARGET.transferId, bytes: 5 } };
    expect(parsePeerFrame(text(frame))).toEqual(frame);
  });

  it('reads an answer frame with the receiver’s frame', () => {
    const frame = { type: 'answer', answer: { type: 'transfer.resume', transferId: TARGET.transferId, offset: 7 } };
    expect(parsePeerFrame(text(frame))).toEqual(frame);
  });

  it.each([
    ['invalid JSON', '{not json'],
    ['JSON null', 'null'],
    ['a number', '42'],
    ['an unknown type', { type: 'launch', event: { type: 'pong' } }],
    ['no type', { event: { type: 'pong' } }],
    ['a deliver frame without an event', { type: 'deliver' }],
    ['a deliver frame whose event has no type', { type: 'deliver', event: { bytes: 1 } }],
    ['a deliver frame whose event is a string', { type: 'deliver', event: 'pong' }],
    ['an answer frame without an answer', { type: 'answer' }],
    ['an answer frame carrying an event instead', { type: 'answer', event: { type: 'pong' } }],
    ['an answer frame whose answer type is not a string', { type: 'answer', answer: { type: 1 } }],
  ])('refuses %s', (_name, value) => {
    expect(parsePeerFrame(text(value))).toBeNull();
  });
});

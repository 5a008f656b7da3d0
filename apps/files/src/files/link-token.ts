import { randomBytes } from 'node:crypto';

/** 128 bits: far beyond guessing, whatever the pickup limits (security-cases "Pickup-code policy"). */
const LINK_TOKEN_BYTES = 16;

/** A fresh share-link token, base64url (22 characters), from the CSPRNG. */
export function generateLinkToken(): string {
  return randomBytes(LINK_TOKEN_BYTES).toString('base64url');
}

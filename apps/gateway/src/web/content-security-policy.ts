import { createHash } from 'node:crypto';

const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

/**
 * The Content-Security-Policy of the web app's pages (security-cases AZ-05: the admin console
 * never runs what a page reflects). Scripts only from our origin, plus the inline scripts the
 * build wrote into index.html, each allowed by its hash. Styles may be inline: Angular injects
 * its components' styles at run time, and a style cannot run code.
 */
export function webAppContentSecurityPolicy(indexHtml: string): string {
  const hashes = [...indexHtml.matchAll(INLINE_SCRIPT)].map(
    ([, body]) =>
      `'sha256-${createHash('sha256')
        .update(body ?? '', 'utf8')
        .digest('base64')}'`,
  );
  return [
    "default-src 'self'",
    `script-src 'self' ${hashes.join(' ')}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

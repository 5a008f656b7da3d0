import { createHash } from 'node:crypto';
import { webAppContentSecurityPolicy } from './content-security-policy.js';

const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('webAppContentSecurityPolicy', () => {
  it('allows scripts from our origin and exactly the inline scripts of the page, by hash', () => {
    const inline = "document.body.dataset['x']='1'";
    const policy = webAppContentSecurityPolicy(
      `<html><head><script src="main-ABCDEFGH.js" type="module"></script><script>${inline}</script></head></html>`,
    );
    const scriptSrc = policy.split('; ').find((directive) => directive.startsWith('script-src'));
    expect(scriptSrc).toBe(`script-src 'self' ${hashOf(inline)}`);
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-eval');
  });

  it('allows no inline script at all when the page has none', () => {
    expect(webAppContentSecurityPolicy('<script src="a.js"></script>')).toContain("script-src 'self';");
  });
});

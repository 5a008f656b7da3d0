// The web image's nginx site: the gateway's Content-Security-Policy of the built page, and the
// gateway's other headers on every answer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { webAppContentSecurityPolicy } from '../../apps/gateway/dist/web/content-security-policy.js';
import { renderNginxConf } from '../web/nginx-conf.mjs';

const template = readFileSync(join(import.meta.dirname, '../web/default.conf.template'), 'utf8');
const page = '<html><head><script>console.log("inline")</script><script src="main-ABCDEFGH.js"></script></head></html>';

describe('renderNginxConf', () => {
  const conf = renderNginxConf(template, page);

  it('fills in the policy the gateway sends for the same page', () => {
    expect(conf).toContain(`add_header Content-Security-Policy "${webAppContentSecurityPolicy(page)}" always;`);
    expect(conf).not.toContain('__');
  });

  it('sends the gateway’s security headers from every location that adds headers', () => {
    const locations = conf.split(/\n\s*location /).slice(1);
    for (const location of locations.filter((block) => block.includes('add_header'))) {
      for (const header of [
        'X-Content-Type-Options "nosniff"',
        'Referrer-Policy "no-referrer"',
        'X-Frame-Options "DENY"',
      ]) {
        expect(location).toContain(`add_header ${header} always;`);
      }
    }
  });

  it('leaves /api and /ws to the gateway and falls back to index.html for the app’s routes', () => {
    expect(conf).toMatch(/location ~ \^\/\(api\|ws\)\(\/\|\$\) \{\s*return 404;/);
    expect(conf).toMatch(/location \/ \{[^}]*try_files \/index\.html =404;/);
  });

  it('quotes every location regex with braces, which nginx would otherwise read as a block', () => {
    for (const [, pattern] of template.matchAll(/location ~\*? (\S+) \{/g)) {
      if (pattern.includes('{')) expect(pattern).toMatch(/^".*"$/);
    }
  });
});

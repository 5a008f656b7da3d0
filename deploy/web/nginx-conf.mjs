// Writes the nginx site of the web image: the template with the Content-Security-Policy of the
// built index.html filled in, made by the gateway's own code so that both ways of serving the app
// send the same policy (it allows the build's inline scripts by their hashes).
//
//   node deploy/web/nginx-conf.mjs <index.html> <template> <out>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { webAppContentSecurityPolicy } from '../../apps/gateway/dist/web/content-security-policy.js';

export function renderNginxConf(template, indexHtml) {
  const policy = webAppContentSecurityPolicy(indexHtml);
  // nginx takes the value in double quotes; the policy never has one, but refuse rather than guess.
  if (policy.includes('"')) throw new Error('the Content-Security-Policy contains a double quote');
  return template.replaceAll('__CONTENT_SECURITY_POLICY__', policy);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [indexPath, templatePath, outPath] = process.argv.slice(2);
  if (!indexPath || !templatePath || !outPath) {
    console.error('usage: node deploy/web/nginx-conf.mjs <index.html> <template> <out>');
    process.exit(2);
  }
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, renderNginxConf(readFileSync(templatePath, 'utf8'), readFileSync(indexPath, 'utf8')));
  console.log(`wrote ${outPath}`);
}

import { Client } from 'minio';
import { Readable } from 'node:stream';
import os from 'node:os'; import fs from 'node:fs'; import path from 'node:path';
import { createHash } from 'node:crypto';
import { startLocalS3 } from '../local-s3.mjs';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smoke-'));
const s3 = await startLocalS3({ port: 0, directory: dir, buckets: ['bkt1'] });
console.log(s3.endpoint);
const u = new URL(s3.endpoint);
const c = new Client({ endPoint: u.hostname, port: Number(u.port), useSSL: false, accessKey: 'lexy-local', secretKey: 'lexy-local-secret', pathStyle: true, region: 'us-east-1' });
function gen(total) { let sent = 0; const h = createHash('sha256'); const s = new Readable({ read() { if (sent >= total) { this.push(null); return; } const n = Math.min(1<<20, total - sent); const b = Buffer.alloc(n, sent % 251); sent += n; h.update(b); this.push(b); } }); s.hash = h; return s; }
let t = Date.now();
const body = gen(100 * 1024 * 1024);
const r = await c.putObject('bkt1', 'big/obj', body);
console.log('putObject 100MiB', r, Date.now() - t, 'ms');
const st = await c.statObject('bkt1', 'big/obj'); console.log(st.size, st.etag);
const g = await c.getObject('bkt1', 'big/obj'); const h2 = createHash('sha256'); for await (const ch of g) h2.update(ch);
console.log('sha equal', h2.digest('hex') === body.hash.digest('hex'));
// incomplete uploads
const id = await c.initiateNewMultipartUpload('bkt1', 'inc/one', {});
await c.uploadPart({ bucketName: 'bkt1', objectName: 'inc/one', uploadID: id, partNumber: 1, headers: {} }, Buffer.alloc(6 * 1024 * 1024, 1));
await c.uploadPart({ bucketName: 'bkt1', objectName: 'inc/one', uploadID: id, partNumber: 2, headers: {} }, Buffer.alloc(100, 2));
const q = await c.listIncompleteUploadsQuery('bkt1', '', '', '', '');
console.log(JSON.stringify(q));
const q2 = await c.listIncompleteUploadsQuery('bkt1', '', '', '', '/');
console.log(JSON.stringify(q2));
const items = []; for await (const it of c.listIncompleteUploads('bkt1', '', true)) items.push(it); console.log(items);
await c.removeIncompleteUpload('bkt1', 'inc/one');
console.log(JSON.stringify(await c.listIncompleteUploadsQuery('bkt1', '', '', '', '')));
console.log(fs.readdirSync(path.join(dir, 'bkt1', '._S3rver_uploads')));
// ranges
const pr = await c.getPartialObject('bkt1', 'big/obj', 0, 1); let n = 0; for await (const ch of pr) n += ch.length; console.log('0-0 bytes', n);
await s3.close();

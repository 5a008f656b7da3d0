import { Readable } from 'node:stream';
import os from 'node:os'; import fs from 'node:fs'; import path from 'node:path';
import { startLocalS3 } from '../local-s3.mjs';
import { ObjectStorage } from '../../../libs/server/storage/dist/index.js';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-'));
const s3 = await startLocalS3({ port: 0, directory: dir, buckets: ['bkt1'] });
const st = new ObjectStorage({ endpoint: s3.endpoint, accessKey: 'lexy-local', secretKey: 'lexy-local-secret', bucket: 'bkt1' });
function gen(total) { let sent = 0; return new Readable({ read() { if (sent >= total) { this.push(null); return; } const n = Math.min(256*1024, total - sent); const b = Buffer.alloc(n, sent % 251); sent += n; this.push(b); } }); }
let t = Date.now();
await st.putStream('x', gen(200 * 1024 * 1024));
console.log('put 200MiB', Date.now() - t, 'ms');
await s3.close();

import { Readable } from 'node:stream';
import { ObjectStorage } from '../../../libs/server/storage/dist/index.js';
const st = new ObjectStorage({ endpoint: 'http://127.0.0.1:19556', accessKey: 'lexy-local', secretKey: 'lexy-local-secret', bucket: 'lexy-files' });
function gen(total) { let sent = 0; return new Readable({ read() { if (sent >= total) { this.push(null); return; } const n = Math.min(256*1024, total - sent); const b = Buffer.alloc(n, sent % 251); sent += n; this.push(b); } }); }
console.log('ping', await st.ping());
let t = performance.now();
await st.putStream('x', gen(200 * 1024 * 1024));
console.log('put 200MiB', (performance.now() - t).toFixed(0), 'ms');
t = performance.now(); let n = 0; for await (const ch of await st.getStream('x')) n += ch.length; console.log('get', (performance.now() - t).toFixed(0), n);
console.log(await st.listKeys(), await st.listIncompleteUploads());

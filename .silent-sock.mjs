import net from 'node:net'; import fs from 'node:fs';
try { fs.unlinkSync('/tmp/keychain/silent.sock'); } catch {}
net.createServer((s) => { s.on('data', () => {}); }).listen('/tmp/keychain/silent.sock');

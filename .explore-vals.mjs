import { AsyncEntry } from '@napi-rs/keyring';
import { execFileSync } from 'node:child_process';
const pin = { linux: { store: 'secret-service' } };
for (const v of ['', 'pässwörd 🔑 密码', 'x'.repeat(100_000), 'a\u0000b']) {
  const e = new AsyncEntry('Seedbox Remote', 'vals:daemon-password', pin);
  try { await e.setPassword(v); const r = await e.getPassword(); 
    const st = execFileSync('secret-tool', ['lookup', 'service', 'Seedbox Remote', 'username', 'vals:daemon-password']).toString();
    console.log(v.length, r === v, st === v, st.length); await e.deletePassword(); }
  catch (err) { console.log(v.length, 'ERR', err.message); }
}

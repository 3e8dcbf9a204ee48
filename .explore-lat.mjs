import { Entry, AsyncEntry } from '@napi-rs/keyring';
const ms = (f) => { const t = performance.now(); const r = f(); return [performance.now() - t, r]; };
const ams = async (f) => { const t = performance.now(); const r = await f(); return [performance.now() - t, r]; };
const pin = { linux: { store: 'secret-service' } };
for (const opts of [pin, undefined, pin]) {
  const ctor = [], set = [], get = [], del = [];
  for (let i = 0; i < 10; i++) {
    const [c, e] = ms(() => new AsyncEntry('Seedbox Remote', `lat${i}:daemon-password`, opts)); ctor.push(c);
    set.push((await ams(() => e.setPassword('secret' + i)))[0]);
    get.push((await ams(() => e.getPassword()))[0]);
    del.push((await ams(() => e.deletePassword()))[0]);
  }
  const f = (a) => a.map((x) => x.toFixed(1)).join(' ');
  console.log(opts ? 'pinned' : 'default', '\n ctor', f(ctor), '\n set', f(set), '\n get', f(get), '\n del', f(del));
}

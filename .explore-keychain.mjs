import { Entry, AsyncEntry } from '@napi-rs/keyring';
const t0 = performance.now();
const lap = (l) => console.log(l, (performance.now() - t0).toFixed(1), 'ms');
const opts = process.env.PIN ? { linux: { store: 'secret-service' } } : undefined;
try {
  const e = new Entry('Seedbox Remote', 'probe:explore', opts); lap('ctor');
  e.setPassword('x'); lap('set');
  console.log(e.getPassword()); lap('get');
  console.log(e.deletePassword()); lap('del');
  console.log(e.deletePassword()); lap('del2');
} catch (err) { lap('err'); console.log('ERR', err?.constructor?.name, JSON.stringify(err?.message), err?.code, Object.keys(err)); }

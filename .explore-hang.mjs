import { Entry, AsyncEntry } from '@napi-rs/keyring';
const t0 = performance.now();
const lap = (l) => console.log(l, (performance.now() - t0).toFixed(1), 'ms');
const tick = setInterval(() => {}, 1000);
const timer = setTimeout(() => lap('main thread alive at 2s'), 2000);
try {
  const e = new AsyncEntry('Seedbox Remote', 'probe:explore', { linux: { store: 'secret-service' } }); lap('async ctor');
  await e.setPassword('x'); lap('set');
} catch (err) { lap('err'); console.log('ERR', JSON.stringify(err?.message)); }
clearInterval(tick);

const { probeKeychain } = await import('/work/main/electron/core/secrets/open-secret-store.ts');
const { KeyringSecretStore } = await import('/work/main/electron/core/secrets/keyring-store.ts');
const t = [];
for (let i = 0; i < 5; i++) { const s = performance.now(); const r = await probeKeychain({ timeoutMs: 10000, env: process.env }); t.push((performance.now() - s).toFixed(0) + (r.ok ? '' : '!')); }
console.log('probe ms', t.join(' '));
const store = new KeyringSecretStore();
const m = { set: [], get: [], has: [], delete: [], deleteAll: [] };
for (let i = 0; i < 20; i++) {
  let s = performance.now(); await store.set('lat', 'daemon-password', 'x' + i); m.set.push(performance.now() - s);
  s = performance.now(); await store.get('lat', 'daemon-password'); m.get.push(performance.now() - s);
  s = performance.now(); await store.has('lat', 'daemon-password'); m.has.push(performance.now() - s);
  s = performance.now(); await store.delete('lat', 'daemon-password'); m.delete.push(performance.now() - s);
  s = performance.now(); await store.deleteAll('lat'); m.deleteAll.push(performance.now() - s);
}
for (const [k, v] of Object.entries(m)) { v.sort((a, b) => a - b); console.log(k, 'median', v[10].toFixed(1), 'max', v[19].toFixed(1)); }

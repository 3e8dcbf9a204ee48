import { Worker } from 'node:worker_threads';
const t0 = performance.now();
const lap = (l) => console.log(l, (performance.now() - t0).toFixed(1), 'ms');
const w = new Worker(`const { Entry } = require(${JSON.stringify(process.cwd() + '/node_modules/@napi-rs/keyring/index.js')});
try { new Entry('Seedbox Remote','p:x',{linux:{store:'secret-service'}}).setPassword('x'); require('worker_threads').parentPort.postMessage('ok') } catch (e) { require('worker_threads').parentPort.postMessage(String(e.message)) }`, { eval: true });
w.on('message', (m) => lap('msg ' + m));
w.on('online', () => lap('online'));
setTimeout(() => { lap('timeout; terminating'); w.unref(); w.terminate().then(() => lap('terminated')); if (process.env.EXIT) { lap('exit'); process.exit(0); } }, 1000);
process.on('exit', () => lap('exit event'));

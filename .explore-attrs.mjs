import { AsyncEntry } from '@napi-rs/keyring';
await new AsyncEntry('Seedbox Remote', 'attrs:daemon-password', { linux: { store: 'secret-service' } }).setPassword('hello');

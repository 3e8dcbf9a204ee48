import { contextBridge } from 'electron';

// The bridge exposes exactly the IPC contract as window.seedbox once it exists (main-process
// issue); for now only what the renderer needs to know about its host.
contextBridge.exposeInMainWorld('seedbox', Object.freeze({ contractVersion: 0 }));

import { contextBridge, ipcRenderer } from 'electron';
import { buildBridge } from './bridge';

// Sandboxed preload, bundled as one CommonJS file: the page gets window.seedbox and nothing else.
contextBridge.exposeInMainWorld('seedbox', buildBridge(ipcRenderer));

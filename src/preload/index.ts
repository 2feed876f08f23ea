import { contextBridge, ipcRenderer } from 'electron'
import { createBridge } from './createBridge'

// The page gets exactly `window.api` (invoke + on), frozen; never ipcRenderer or Node.
contextBridge.exposeInMainWorld('api', createBridge(ipcRenderer))

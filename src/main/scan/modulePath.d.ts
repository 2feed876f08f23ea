// electron-vite's `?modulePath` import (a bundled entry's path). Declared here rather than through
// `electron-vite/node`, whose global types make `process.env.ELECTRON_RENDERER_URL` read-only.
declare module '*?modulePath' {
  const path: string
  export default path
}

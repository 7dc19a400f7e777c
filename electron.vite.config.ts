// electron-vite: builds the desktop app into out/ — main process (electron/shell/main.ts
// with the backend it imports), the sandboxed preload (CommonJS, everything bundled: a
// sandboxed preload cannot load modules), and the renderer (the same sources and settings
// as `vite build renderer`). Works without the Electron binary; `npm run dist` packages out/.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // ssh2, ws and zod stay in node_modules (ssh2 has optional native parts).
      externalizeDeps: true,
      rolldownOptions: {
        input: { main: resolve(root, 'electron/shell/main.ts') },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: false,
      rolldownOptions: {
        input: { preload: resolve(root, 'electron/shell/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    base: './',
    plugins: [react()],
    worker: { format: 'es' },
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      chunkSizeWarningLimit: 2500,
      minify: true,
      rolldownOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});

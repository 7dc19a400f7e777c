// Vite config for the renderer. Run from the repo root as `vite build renderer`: the root
// is this folder, output goes to renderer/dist, and shared/ is imported by relative path.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
  },
  worker: { format: 'es' },
});

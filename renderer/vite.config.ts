// Vite config for the renderer. Run from the repo root as `vite build renderer`: the root
// is this folder, output goes to renderer/dist, and shared/ is imported by relative path.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The dev server only (never a build): Vite injects CSS as <style> tags and React Refresh
 * adds an inline preamble script, both blocked by index.html's strict policy. Built output
 * keeps the policy exactly as written (e2e/csp.spec.ts checks it).
 */
function devServerCsp(): Plugin {
  return {
    name: 'wireplan-dev-server-csp',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
  };
}

export default defineConfig({
  base: './',
  plugins: [react(), devServerCsp()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
  },
  worker: { format: 'es' },
});

import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/**
 * Two faces, one build: the public portal (index.html, served at /) and the internal app
 * (app/index.html, served at /app/). Both share src/shared; the server serves dist/web.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    sourcemap: false,
    // the budget is checked by bench/web-size.ts; the warning is only a hint while developing
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      input: { portal: here('index.html'), app: here('app/index.html') },
    },
  },
  server: {
    // `npx vite web` during development: the API comes from a running `pakhuis serve`
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  base: '/',
  worker: { format: 'es' },
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    // MapLibre alone is ~1 MB minified; the command map is one page that needs it at once.
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: {
        main: path.join(root, 'index.html'),
        field: path.join(root, 'field.html'),
        combatMap: path.join(root, 'combat-map.html'),
        supervision: path.join(root, 'supervision.html'),
        drillReport: path.join(root, 'drill-report.html'),
      },
    },
  },
  server: {
    // `npm run dev:client` proxies the API to a running `npm start`.
    proxy: {
      '/api': 'http://localhost:3000',
      '/socket.io': { target: 'ws://localhost:3000', ws: true },
    },
  },
});

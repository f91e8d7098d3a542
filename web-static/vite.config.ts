import { defineConfig } from 'vitest/config';

// The dev server proxies the API to a running local mode (default http://127.0.0.1:8787),
// so the app talks to the same origin it is served from, exactly as in production.
const apiTarget = process.env.STEWARD_URL ?? 'http://127.0.0.1:8787';

export default defineConfig({
  // Relative asset URLs: the same build works at `/` (local mode) and under any S3/CloudFront prefix.
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/v1': { target: apiTarget, changeOrigin: true },
      '/health': { target: apiTarget, changeOrigin: true },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    pool: 'threads',
    maxWorkers: 1,
  },
});

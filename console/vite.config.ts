import { fileURLToPath } from 'node:url';

import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/**
 * The staff console: a static build served under /console/ — by the local API on `npm start`, by
 * CloudFront (from a private S3 bucket) in AWS, where /v1/* reaches the HttpApi through the same
 * distribution, so the console calls the API on its own origin and needs no CORS.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The budget (350 KB gzip for the first load) is checked by the bench, not by a warning here.
    chunkSizeWarningLimit: 1024,
    sourcemap: false,
  },
  logLevel: 'warn',
});

/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API lives behind the gateway at the same origin as the built app. For `vite` (dev) and
// `vite preview`, these prefixes are proxied to a running gateway (HTTP and the sync WebSocket).
const gateway = process.env.SYNCBOX_GATEWAY ?? 'http://127.0.0.1:8080';
const apiPrefixes = ['/auth', '/files', '/trash', '/shared', '/devices', '/conflicts', '/2', '/apitl'];
const proxy = Object.fromEntries(
  apiPrefixes.map((prefix) => [prefix, { target: gateway, ws: prefix === '/files', xfwd: true }]),
);

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 700,
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: true, proxy },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, proxy },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
  },
});

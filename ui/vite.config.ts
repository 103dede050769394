/// <reference types="vitest/config" />
// Vite builds the UI into ui/dist, which src-tauri/tauri.conf.json serves as `frontendDist`;
// `npm run dev` is its `devUrl` (port 1420, fixed: Tauri waits on exactly that port).
//
// The desktop window runs under a strict CSP (`default-src 'self'; img-src 'self' data:;
// style-src 'self' 'unsafe-inline'`), so the build must stay self-contained: no inline scripts,
// no remote fonts or CDNs, nothing that needs `eval`.
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";
import { defineConfig } from "vite";

// Set by `tauri dev` when the app runs on a phone or another machine.
const host = process.env.TAURI_DEV_HOST;

export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  // Keep Rust's compiler output visible in `tauri dev`.
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    host: host || false,
    hmr: host ? { protocol: "ws", host, port: 1421 } : undefined,
    watch: { ignored: ["**/src-tauri/**"] },
  },
  envPrefix: ["VITE_", "TAURI_ENV_"],
  build: {
    // WebView2 on Windows is Chromium; WKWebView (macOS) and WebKitGTK (Linux) are WebKit.
    target: ["es2021", "chrome105", "safari15"],
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: !!process.env.TAURI_ENV_DEBUG,
    minify: !process.env.TAURI_ENV_DEBUG,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    restoreMocks: true,
  },
});

/// <reference types="vitest/config" />
// Vite builds the UI into ui/dist, which src-tauri/tauri.conf.json serves as `frontendDist`;
// `npm run dev` is its `devUrl` (port 1420, fixed: Tauri waits on exactly that port).
//
// The desktop window runs under a strict CSP (`default-src 'self'; img-src 'self' data:;
// style-src 'self' 'unsafe-inline'`), so the build must stay self-contained: no inline scripts,
// no remote fonts or CDNs, nothing that needs `eval`.
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";
import { defineConfig, type Plugin } from "vite";

/**
 * The window freezes `Object.prototype` (`freezePrototype` in tauri.conf.json). Strict code then
 * cannot assign an ordinary object a property that `Object.prototype` has (`constructor`,
 * `toString`: the "override mistake"), and two d3 modules under Observable Plot do so while
 * loading, which kills the report's charts. This gives those objects the property as their own
 * first, so the assignment that follows is allowed. The build fails if the code changed, so an
 * upgrade cannot bring the crash back unnoticed.
 */
function frozenPrototypeD3(): Plugin {
  const patches = [
    {
      file: "/node_modules/d3-color/dist/d3-color.mjs",
      assignment: "prototype.constructor = constructor;",
      object: "prototype",
      property: "constructor",
    },
    {
      file: "/node_modules/d3-format/dist/d3-format.mjs",
      assignment: "FormatSpecifier.prototype.toString = function() {",
      object: "FormatSpecifier.prototype",
      property: "toString",
    },
  ];
  return {
    name: "frozen-prototype-d3",
    transform(code, id) {
      const patch = patches.find((p) => id.split("?")[0]!.endsWith(p.file));
      if (!patch) return null;
      if (!code.includes(patch.assignment)) {
        throw new Error(`${patch.file}: \`${patch.assignment}\` not found; check the patch`);
      }
      const own = `Object.defineProperty(${patch.object}, "${patch.property}", { value: undefined, writable: true, enumerable: true, configurable: true });`;
      return { code: code.replace(patch.assignment, `${own} ${patch.assignment}`), map: null };
    },
  };
}

// Set by `tauri dev` when the app runs on a phone or another machine.
const host = process.env.TAURI_DEV_HOST;

export default defineConfig({
  plugins: [svelte(), svelteTesting(), frozenPrototypeD3()],
  // `npm run dev` pre-bundles Plot with d3: patch it there too.
  optimizeDeps: { rolldownOptions: { plugins: [frozenPrototypeD3()] } },
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
    // Plot and d3 through Vite's plugins (not Node's loader): the tests run d3 patched, as the
    // app does.
    server: { deps: { inline: [/node_modules\/(@observablehq\/plot|d3|d3-[a-z-]+)\//] } },
  },
});

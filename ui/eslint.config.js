// ESLint: TypeScript and Svelte rules, no import cycles, and `lib/ipc` as the only door to Tauri.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import svelte from "eslint-plugin-svelte";
import globals from "globals";
import ts from "typescript-eslint";

import svelteConfig from "./svelte.config.js";

export default defineConfig(
  // The bindings are generated from Rust by ts-rs.
  { ignores: ["dist/", "node_modules/", "src/lib/ipc/bindings/"] },
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  { languageOptions: { globals: globals.browser } },
  // Config files and the WebDriver journey (plain Node scripts) run in Node.
  { files: ["*.config.{js,ts}", "e2e/**/*.mjs"], languageOptions: { globals: globals.node } },
  {
    files: ["**/*.svelte", "**/*.svelte.ts"],
    languageOptions: {
      parserOptions: {
        parser: ts.parser,
        extraFileExtensions: [".svelte"],
        svelteConfig,
      },
    },
  },
  {
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [
        createNodeResolver({ extensions: [".ts", ".svelte.ts", ".js", ".svelte"] }),
      ],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
      "import-x/extensions": [".ts", ".js"],
      // import-x cannot parse components (svelte-eslint-parser fails when it calls it), so
      // cycles are found among TS modules, including `.svelte.ts` state and what components
      // import from them, but not through a chain of components. Packages are not followed.
      "import-x/ignore": ["node_modules", "\\.svelte$"],
    },
    rules: {
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@tauri-apps/*"],
              message: "Only src/lib/ipc talks to Tauri; import its typed wrappers instead.",
            },
          ],
        },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["src/lib/ipc/**"],
    rules: { "no-restricted-imports": "off" },
  },
);

// ESLint for the project's own JavaScript: the pages' modules (pwa/js), the field app
// (pwa/field) and the service worker (pwa/sw.js). `make lint` runs it; rules are ESLint's
// recommended set, which finds bugs rather than enforcing a style.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", ".venv/", "var/", "build/", "**/*.min.js"] },
  js.configs.recommended,
  {
    files: ["pwa/js/**/*.js", "pwa/field/**/*.js", "server/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser },
    },
  },
  {
    // A classic worker script, registered without { type: "module" }.
    files: ["pwa/sw.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      // __ASSETS__ is replaced by the server with the shell's [url, sha256] pairs.
      globals: { ...globals.serviceworker, __ASSETS__: "readonly" },
    },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "module", globals: { ...globals.node } },
  },
];

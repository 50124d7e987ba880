// Lint rules for the kit: ESLint's and typescript-eslint's recommended sets.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "shared/generated/", "test-results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // The dashboard runs in the browser, as plain ES modules.
  { files: ["mock-server/ui/assets/**/*.js"], languageOptions: { globals: { ...globals.browser } } },
);

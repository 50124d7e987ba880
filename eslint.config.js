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
  // Which way the top folders import (docs/architecture.md#which-way-the-imports-go);
  // scripts/check-structure.mjs checks the same for the whole tree, and no circles.
  {
    files: ["mock-server/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "(^|/)src/",
              message:
                "The fake never imports the client, its CLI or the sync (src/): what both need lives in shared/.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["shared/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "(^|/)(src|mock-server|contract-tests)/",
              message: "shared/ stands on its own: the client and the fake import it, never the reverse.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "(^|/)mock-server/", message: "The client never imports the fake." }] },
      ],
    },
  },
  // The dashboard runs in the browser, as plain ES modules.
  { files: ["mock-server/ui/assets/**/*.js"], languageOptions: { globals: { ...globals.browser } } },
);

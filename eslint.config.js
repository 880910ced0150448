// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** One adapter folder per third-party library (style.md §4.3). */
const adapters = [
  { lib: "dockerode", dir: "src/container" },
  { lib: "undici", dir: "src/http" },
  { lib: "tar", dir: "src/archive" },
  { lib: "yargs", dir: "src/cli" },
  { lib: "ora", dir: "src/cli" },
  { lib: "jsonpath-plus", dir: "src/request-input/scrape" },
  { lib: "@peculiar/x509", dir: "src/x509" },
  { lib: "reflect-metadata", dir: "src/x509" },
];

const restrictFor = (allowedDir) => ({
  "no-restricted-imports": [
    "error",
    {
      paths: [
        ...adapters
          .filter((a) => a.dir !== allowedDir)
          .map((a) => ({ name: a.lib, message: `${a.lib} is only used inside ${a.dir}/` })),
        // A dev dependency: the test kit runs commands with it, the product never does.
        { name: "execa", message: "execa is a dev dependency, for the test kit only" },
      ],
      patterns: adapters
        .filter((a) => a.dir !== allowedDir)
        .map((a) => ({ group: [`${a.lib}/*`], message: `${a.lib} is only used inside ${a.dir}/` })),
    },
  ],
});

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "fixtures/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.property.name='only']", message: "no focused tests" },
      ],
    },
  },
  {
    files: ["src/**/*.ts"],
    rules: restrictFor(""),
  },
  ...adapters.map((a) => ({
    files: [`${a.dir}/**/*.ts`],
    rules: restrictFor(a.dir),
  })),
  { files: ["**/*.js", "**/*.mjs"], ...tseslint.configs.disableTypeChecked },
);

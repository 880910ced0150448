// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { importX, createNodeResolver } from "eslint-plugin-import-x";

// ── The house layout, in one place (docs/architecture.md draws it). When a folder moves, edit
// these lists; every rule below is generated from them. Paths are relative to the repository.

/** One adapter folder per third-party library: nothing outside the folder imports the library. */
const adapters = [
  { lib: "dockerode", dir: "src/container" },
  { lib: "undici", dir: "src/http" },
  { lib: "tar", dir: "src/archive" },
  { lib: "yargs", dir: "src/cli" },
  { lib: "ora", dir: "src/cli" },
];

/**
 * The layers, outermost first. Imports point one way: cli → app → domain → ports ← adapters.
 * `core` (cancellation, redaction, events, checksums, the error table) may be used by every layer.
 */
const layers = {
  cli: ["src/cli", "src/bin"],
  app: ["src/app"],
  domain: [
    "src/diego",
    "src/restage",
    "src/launch",
    "src/image",
    "src/manifests",
    // request input (scrape, read, load)
    "src/request-input",
    "src/cache",
    "src/cell-env",
    "src/identity",
    "src/callback",
    "src/owner",
  ],
  /** Implementations of ports, one per library or platform. */
  adapters: ["src/container", "src/http", "src/archive", "src/x509"],
  core: ["src/core", "src/errors.ts"],
};

/**
 * Port files: the interfaces (and the errors they promise) that the domain may import from an
 * adapter folder. Everything else in an adapter folder is an implementation.
 */
const ports = [
  "src/pki/ports.ts",
  "src/archive/ports.ts",
  "src/http/ports.ts",
  "src/container/container.ts",
  "src/container/app-runtime.ts",
  "src/container/image-store.ts",
  "src/container/swarm-runtime.ts",
  "src/container/image-missing-error.ts",
  "src/container/path-missing-error.ts",
  "src/container/port-in-use-error.ts",
  "src/container/registry-errors.ts",
  "src/archive/archive-errors.ts",
];

/** Folders outside the product: nothing in src/ imports them. */
const notProduct = ["test", "bench", "scripts"];

// ── Rules generated from the lists above.

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

/** Files of `dir` that are not ports, as paths relative to `dir` (no-restricted-paths' `except`). */
const portsIn = (dir) =>
  ports.filter((p) => p.startsWith(`${dir}/`)).map((p) => `./${p.slice(dir.length + 1)}`);

const cliOnly =
  "layers point one way (cli → app → domain → ports ← adapters): only the CLI imports the CLI";
const appOnly =
  "layers point one way (cli → app → domain → ports ← adapters): only the CLI imports a use case";
const portsOnly =
  "the domain imports an adapter's port, not its implementation (cli/app wire adapters in)";
const noDomain =
  "adapters implement ports; they do not import the domain (move the type to a port or src/core)";

const layerZones = [
  ...notProduct.map((from) => ({
    target: ["src"],
    from,
    message: `src/ is the product: it never imports ${from}/ (the test kit, benches, scripts)`,
  })),
  ...layers.cli.map((from) => ({
    target: [...layers.app, ...layers.domain, ...layers.adapters, ...layers.core],
    from,
    message: cliOnly,
  })),
  ...layers.app.map((from) => ({
    target: [...layers.domain, ...layers.adapters, ...layers.core],
    from,
    message: appOnly,
  })),
  ...layers.adapters.map((from) => ({
    target: [...layers.domain, ...layers.core],
    from,
    except: portsIn(from),
    message: portsOnly,
  })),
  ...layers.domain.map((from) => ({
    target: [...layers.adapters, ...layers.core],
    from,
    message: noDomain,
  })),
];

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "fixtures/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "import-x": importX },
    settings: {
      "import-x/extensions": [".ts", ".js", ".mjs"],
      "import-x/external-module-folders": ["node_modules", "node_modules/@types"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
      // Sources import `./x.js` for `./x.ts` (NodeNext); resolve like TypeScript does.
      "import-x/resolver-next": [createNodeResolver({ extensionAlias: { ".js": [".ts", ".js"] } })],
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
      // At most 3 positional parameters; an options object beyond.
      "max-params": "off",
      "@typescript-eslint/max-params": ["error", { max: 3 }],
      // No import cycles (type-only imports do not make one at run time).
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "import-x/no-restricted-paths": [
        "error",
        { basePath: import.meta.dirname, zones: layerZones },
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

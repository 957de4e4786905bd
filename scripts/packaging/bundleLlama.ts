// node-llama-cpp and its ~100 run-time dependencies (about 700 .js files) become two files in a VSIX, so that VS Code
// loads one module instead of hundreds and vsce has nothing to warn about. Two things must survive the bundling:
//
// - Every module's `import.meta.url` keeps meaning "where this file was": node-llama-cpp finds `llama/`, its
//   `package.json` and its binaries from its files' locations (`config.js`, `getModuleVersion.js`), and ipull reads
//   its `package.json` at load. Each bundled module's `import.meta.url` is rewritten to the URL of its original path
//   relative to the bundle (node-llama-cpp's own files keep their own paths under `dist/`; a dependency's files are
//   placed under `dist/_deps/<package>/…`, where the few data files they read are copied).
// - `testBindingBinary.js` stays a file of its own at its own path: node-llama-cpp forks it by file name to try a
//   binary in a child process before loading it (an incompatible binary then falls back to Vulkan or the CPU
//   instead of crashing the model process). It is bundled separately and imported by the main bundle.
//
// Left external: Node's built-ins, `@node-llama-cpp/*` (the binaries, resolved with `import()` from node-llama-cpp's
// folder: the on-demand CUDA package relies on that), `electron` (never present: node-llama-cpp imports it only
// inside Electron) and `@reflink/reflink` (an optional copy-on-write helper of ipull's downloader, inside a
// try/catch; the extension downloads models with its own downloader).
import { build, type Plugin } from "esbuild";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, sep } from "node:path";

const TEST_BINDING = "dist/bindings/utils/testBindingBinary.js";
const EXTERNAL = ["@node-llama-cpp/*", "electron", "@reflink/reflink", ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
/** Data files dependencies read from their own folder at run time (copied beside their bundled location). */
const DEP_DATA: Record<string, string[]> = { ipull: ["package.json"] };

const posix = (p: string): string => p.split(sep).join("/");

/** Where the bundle pretends a module lives, relative to the staged node-llama-cpp folder. */
function placeOf(file: string, llamaDir: string, nodeModules: string): string {
    const inLlama = posix(relative(llamaDir, file));
    if (!inLlama.startsWith("..")) return inLlama;
    return `dist/_deps/${posix(relative(nodeModules, file)).replace(/\/node_modules\//g, "/")}`;
}

function importMetaPlugin(llamaDir: string, nodeModules: string, outFile: string): Plugin {
    const outDir = dirname(outFile);
    return {
        name: "r1-import-meta-url",
        setup(b) {
            b.onLoad({ filter: /\.[cm]?js$/ }, (args) => {
                const source = readFileSync(args.path, "utf8");
                if (!source.includes("import.meta.url")) return undefined;
                const place = placeOf(args.path, llamaDir, nodeModules);
                const rel = posix(relative(outDir, join(llamaDir, place)));
                const url = `new URL(${JSON.stringify(rel.startsWith(".") ? rel : `./${rel}`)}, import.meta.url).href`;
                return { contents: source.replace(/\bimport\.meta\.url\b/g, url), loader: "js", resolveDir: dirname(args.path) };
            });
        }
    };
}

/** In the main bundle, testBindingBinary.js is imported from its own file (bundled on its own). */
function testBindingExternal(llamaDir: string): Plugin {
    const own = join(llamaDir, TEST_BINDING);
    return {
        name: "r1-test-binding-external",
        setup(b) {
            b.onResolve({ filter: /testBindingBinary\.js$/ }, (args) => {
                const resolved = join(args.resolveDir, args.path);
                return resolved === own ? { path: "./bindings/utils/testBindingBinary.js", external: true } : undefined;
            });
        }
    };
}

// Bundled CommonJS dependencies call require(); in an ES module that needs a real one.
const banner = "import { createRequire as __r1CreateRequire } from \"node:module\";\nconst require = __r1CreateRequire(import.meta.url);";

export interface BundleResult {
    files: string[];
    bytes: number;
}

/**
 * Writes node-llama-cpp's bundled `dist/` into `stagedLlamaDir` (node_modules/node-llama-cpp of the staged folder),
 * built from `sourceLlamaDir` (the installed, patched package) and the dependencies installed beside it.
 */
export async function bundleLlama(sourceLlamaDir: string, stagedLlamaDir: string): Promise<BundleResult> {
    const nodeModules = dirname(sourceLlamaDir);
    const common = {
        bundle: true, platform: "node" as const, format: "esm" as const, target: "node20", external: EXTERNAL,
        banner: { js: banner }, legalComments: "inline" as const, logLevel: "silent" as const
    };
    const main = join(stagedLlamaDir, "dist/index.js");
    const test = join(stagedLlamaDir, TEST_BINDING);
    // The plugins compute each module's place from the STAGED folder's layout, which mirrors the source's.
    await build({ ...common, entryPoints: [join(sourceLlamaDir, "dist/index.js")], outfile: main,
        plugins: [testBindingExternal(sourceLlamaDir), importMetaPlugin(sourceLlamaDir, nodeModules, join(sourceLlamaDir, "dist/index.js"))] });
    await build({ ...common, entryPoints: [join(sourceLlamaDir, TEST_BINDING)], outfile: test,
        plugins: [importMetaPlugin(sourceLlamaDir, nodeModules, join(sourceLlamaDir, TEST_BINDING))] });
    const files = [main, test];
    for (const [dep, data] of Object.entries(DEP_DATA)) {
        for (const f of data) {
            const from = join(nodeModules, dep, f);
            const to = join(stagedLlamaDir, "dist/_deps", dep, f);
            if (!existsSync(from)) throw new Error(`${from} is missing: run npm ci`);
            mkdirSync(dirname(to), { recursive: true });
            if (f === "package.json") {
                // Only what is read (its name and version): a full manifest would list dependencies that are not there.
                const { name, version } = JSON.parse(readFileSync(from, "utf8")) as { name: string; version: string };
                writeFileSync(to, `${JSON.stringify({ name, version, private: true }, null, 2)}\n`);
            } else cpSync(from, to);
            files.push(to);
        }
    }
    return { files, bytes: files.reduce((n, f) => n + readFileSync(f).length, 0) };
}

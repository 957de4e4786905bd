// The folder a VSIX is packed from: exactly the files the installed extension needs, copied from the working
// tree (after a production build) and node_modules, with the target platform's node-llama-cpp binaries taken
// from node_modules when they are installed here, else fetched from the npm registry (verified against its
// integrity) into a cache. `vsce package` then runs inside it, so nothing is shipped by accident.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { fetchVerifiedPackage } from "../../src/platform/npm/fetchPackage";
import { DEFAULT_REGISTRY } from "../../src/platform/npm/registryPackage";
import { bundleLlama } from "./bundleLlama";
import type { PackageTarget } from "./targets";

/** Files and folders of the working tree the extension needs at run time (relative paths; folders end with /). */
const SHIPPED = [
    "package.json", "package.nls.json", "README.md", "CHANGELOG.md", "LICENSE",
    "dist/extension.js", "dist/server.js", "media/", "models/catalog.json", "models/README.md"
];
/** Under media/: only what is loaded at run time (not the icon's SVG source). */
const MEDIA = /\.(css|svg|png|js|ttf|md)$/;
/** Production dependencies of node-llama-cpp that only serve to compile llama.cpp (build: "never" here). */
const BUILD_ONLY = new Set(["typescript", "cmake-js", "node-addon-api", "node-api-headers"]);
/** Inside any shipped package: never tests, TypeScript sources or declarations, maps, docs folders. */
const NEVER = /(^|\/)(test|tests|__tests__|spec|specs|docs|\.github)\/|\.(d\.[cm]?ts|[cm]?ts|map|md)$|(^|\/)(tsconfig[^/]*\.json|\.npmignore|\.eslintrc[^/]*)$/;

export interface StageOptions {
    root: string;
    cacheDir: string;
    registry?: string;
    log?: (line: string) => void;
}

interface Manifest {
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
    os?: string[];
    cpu?: string[];
}

/** npm's rule for a package's "os" / "cpu" lists (a "!name" entry excludes). */
function fits(list: string[] | undefined, value: string): boolean {
    if (!list || list.length === 0) return true;
    if (list.includes(`!${value}`)) return false;
    return list.includes(value) || list.every((x) => x.startsWith("!"));
}

/**
 * The installed packages the run time needs, as folders relative to `root` (node_modules/…), found the way Node
 * resolves them (the package's own node_modules, then each parent's), from the manifest's dependencies down;
 * the build-only ones and the llama.cpp binary packages are left out (the binaries are added per target).
 */
export function productionPackages(root: string, target?: string): string[] {
    const [os, cpu] = (target ?? `${process.platform}-${process.arch}`).split("-");
    const found = new Set<string>();
    const queue = [root];
    while (queue.length > 0) {
        const dir = queue.shift()!;
        const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
        for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
            if (BUILD_ONLY.has(name) || name.startsWith("@node-llama-cpp/")) continue;
            let resolved: string | undefined;
            for (let at = dir; !relative(root, at).startsWith(".."); at = dirname(at)) {
                const candidate = join(at, "node_modules", name);
                if (basename(at) !== "node_modules" && existsSync(join(candidate, "package.json"))) {
                    resolved = candidate;
                    break;
                }
                if (at === root) break;
            }
            if (!resolved) {
                if (manifest.optionalDependencies?.[name]) continue;
                throw new Error(`${name} (needed by ${relative(root, dir) || "the extension"}) is not installed: run npm ci`);
            }
            const candidateManifest = JSON.parse(readFileSync(join(resolved, "package.json"), "utf8")) as Manifest;
            // A platform-specific optional package (e.g. @reflink/reflink-linux-x64-gnu) only in its platform's VSIX.
            if (!fits(candidateManifest.os, os) || !fits(candidateManifest.cpu, cpu)) continue;
            const rel = relative(root, resolved).split(sep).join("/");
            if (!found.has(rel)) {
                found.add(rel);
                queue.push(resolved);
            }
        }
    }
    return [...found].sort();
}

function copyFiltered(from: string, to: string, keep: (rel: string) => boolean): void {
    cpSync(from, to, {
        recursive: true,
        dereference: true,
        filter: (src) => {
            const rel = relative(from, src).split(sep).join("/");
            return rel === "" || keep(rel);
        }
    });
}

/** The version node-llama-cpp is pinned to (its prebuilt packages must have exactly this version). */
export function llamaVersion(root: string): string {
    return (JSON.parse(readFileSync(join(root, "node_modules", "node-llama-cpp", "package.json"), "utf8")) as { version: string }).version;
}

/** `@node-llama-cpp/<name>` of the pinned version: this machine's copy if it has it, else the registry's (cached). */
async function binaryPackage(name: string, options: StageOptions): Promise<{ dir: string; from: string }> {
    const version = llamaVersion(options.root);
    const local = join(options.root, "node_modules", "@node-llama-cpp", name);
    if (existsSync(join(local, "package.json")) && (JSON.parse(readFileSync(join(local, "package.json"), "utf8")) as { version: string }).version === version) {
        return { dir: local, from: "node_modules" };
    }
    const dest = join(options.cacheDir, "packages", `${name}@${version}`);
    if (existsSync(join(dest, "package.json"))) return { dir: dest, from: "cache" };
    options.log?.(`fetching @node-llama-cpp/${name}@${version} from the registry`);
    const registry = options.registry ?? process.env.npm_config_registry ?? DEFAULT_REGISTRY;
    await fetchVerifiedPackage({ registry, name: `@node-llama-cpp/${name}`, version, cacheDir: join(options.cacheDir, "tarballs"), dest, maxAttempts: 4 });
    return { dir: dest, from: "registry" };
}

/** Fills `stageDir` (emptied first) with what the VSIX for `target` holds. */
export async function stage(stageDir: string, target: PackageTarget, options: StageOptions): Promise<void> {
    const { root } = options;
    rmSync(stageDir, { recursive: true, force: true });
    mkdirSync(stageDir, { recursive: true });
    for (const item of SHIPPED) {
        const src = join(root, item);
        if (!existsSync(src)) throw new Error(`${item} is missing: build first (node scripts/build.mjs --production)`);
        if (item.endsWith("/")) copyFiltered(src, join(stageDir, item), (rel) => !rel.includes(".") || MEDIA.test(rel));
        else cpSync(src, join(stageDir, item));
    }
    // The installed extension needs no scripts (vsce would run vscode:prepublish here) and no devDependencies.
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, unknown>;
    delete manifest.scripts;
    delete manifest.devDependencies;
    writeFileSync(join(stageDir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    writeFileSync(join(stageDir, ".vscodeignore"), "# Staged by scripts/package.ts: every file here is shipped.\n.vscodeignore\n");

    // node-llama-cpp and every package it needs at run time are bundled into two files (bundleLlama.ts); what is
    // copied is its manifest, licence and the small metadata files it reads, never the llama.cpp sources.
    const packages = productionPackages(root, target.target);
    if (!packages.includes("node_modules/node-llama-cpp")) throw new Error("node-llama-cpp is not a dependency of the extension");
    const from = join(root, "node_modules", "node-llama-cpp");
    const to = join(stageDir, "node_modules", "node-llama-cpp");
    // Token prediction needs the draft-check fix (scripts/patchNodeLlamaCpp.mjs): never bundle the file without it.
    const evaluator = join(from, "dist/evaluator/LlamaContext/LlamaContext.js");
    if (!readFileSync(evaluator, "utf8").includes("validatedTokens.push([evalTokens[i], resultToken]);"))
        throw new Error(`${evaluator} lacks the draft-check fix: run node scripts/patchNodeLlamaCpp.mjs`);
    copyFiltered(from, to, (rel) => rel === "package.json" || rel === "LICENSE" || rel === "llama" ||
        /^llama\/[^/]+\.json$/.test(rel) || rel.startsWith("llama/grammars"));
    const bundled = await bundleLlama(from, to);
    options.log?.(`  node-llama-cpp and ${packages.length - 1} dependencies bundled: ${bundled.files.length} files, ${(bundled.bytes / 1048576).toFixed(1)} MB`);
    const bundle = readFileSync(join(to, "dist/index.js"), "utf8");
    if (!bundle.includes("r1Sampled(") || !/validatedTokens\.push\(\[evalTokens\[\w+\], resultToken\]\)/.test(bundle))
        throw new Error("the bundled node-llama-cpp lacks the draft-check fix");
    // Its dependencies are inside the bundle: the manifest lists none (vsce runs `npm list`, which checks them);
    // the optional @node-llama-cpp/* binary packages stay, of which the target's are added below.
    const m = join(to, "package.json");
    const pkg = JSON.parse(readFileSync(m, "utf8")) as Manifest;
    delete pkg.dependencies;
    writeFileSync(m, JSON.stringify(pkg, null, 2));
    for (const name of target.binaries) {
        const { dir, from } = await binaryPackage(name, options);
        options.log?.(`  @node-llama-cpp/${name} from ${from}`);
        const dest = join(stageDir, "node_modules", "@node-llama-cpp", name);
        mkdirSync(dirname(dest), { recursive: true });
        copyFiltered(dir, dest, (rel) => !NEVER.test(rel) || rel === "README.md");
    }
}

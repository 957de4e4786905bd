// What a built .vsix holds, read with Node built-ins (the zip's central directory; entries inflated with zlib),
// and the contents check every built VSIX must pass: under 100 MB, no other platform's native binary, no CUDA
// build, none of node-llama-cpp's llama.cpp sources, no tests, no TypeScript sources, no source maps, no .gguf,
// and the files the extension needs at run time present.
import { readFileSync, statSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import { nativeKind, type PackageTarget } from "./targets";

export const MAX_VSIX_BYTES = 100 * 1024 * 1024;

export interface VsixEntry {
    path: string;
    size: number;
    /** The entry's first bytes (only for native files: .node .so .dylib .dll .exe). */
    head?: Buffer;
}

const NATIVE = /\.(node|so(\.\d+)*|dylib|dll|exe)$/i;

/** The entries of a zip file (paths as stored), with the first 4 KiB of each native file. */
export function readVsix(file: string): VsixEntry[] {
    const zip = readFileSync(file);
    let eocd = -1;
    for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
        if (zip.readUInt32LE(i) === 0x06054b50) {
            eocd = i;
            break;
        }
    }
    if (eocd < 0) throw new Error(`${file} is not a zip file (no end of central directory)`);
    const count = zip.readUInt16LE(eocd + 10);
    let at = zip.readUInt32LE(eocd + 16);
    const entries: VsixEntry[] = [];
    for (let i = 0; i < count; i++) {
        if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: damaged central directory at entry ${i}`);
        const method = zip.readUInt16LE(at + 10);
        const compressed = zip.readUInt32LE(at + 20);
        const size = zip.readUInt32LE(at + 24);
        const nameLength = zip.readUInt16LE(at + 28);
        const extraLength = zip.readUInt16LE(at + 30);
        const commentLength = zip.readUInt16LE(at + 32);
        const local = zip.readUInt32LE(at + 42);
        const path = zip.subarray(at + 46, at + 46 + nameLength).toString("utf8");
        const entry: VsixEntry = { path, size };
        if (NATIVE.test(path)) {
            const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
            const data = zip.subarray(dataStart, dataStart + compressed);
            entry.head = (method === 0 ? data : inflateRawSync(data)).subarray(0, 4096);
        }
        entries.push(entry);
        at += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
}

const REQUIRED = [
    "extension/package.json", "extension/package.nls.json", "extension/dist/extension.js", "extension/dist/server.js",
    "extension/media/icon.png", "extension/node_modules/node-llama-cpp/package.json", "extension/node_modules/node-llama-cpp/dist/index.js",
    // Forked by file name to try a llama.cpp binary before loading it (bundleLlama.ts keeps it a file of its own).
    "extension/node_modules/node-llama-cpp/dist/bindings/utils/testBindingBinary.js"
];

/** Why each forbidden file is forbidden (empty: the VSIX passes). */
export function vsixProblems(entries: readonly VsixEntry[], target: PackageTarget, vsixBytes: number): string[] {
    const problems: string[] = [];
    if (vsixBytes > MAX_VSIX_BYTES) problems.push(`the VSIX is ${(vsixBytes / 1048576).toFixed(1)} MB, over the 100 MB limit`);
    const paths = new Set(entries.map((e) => e.path));
    for (const r of REQUIRED) if (!paths.has(r)) problems.push(`missing ${r}`);
    const allowed = new Set(target.binaries);
    let addons = 0;
    for (const e of entries) {
        const p = e.path;
        const pkg = /node_modules\/@node-llama-cpp\/([^/]+)\//.exec(p)?.[1];
        if (pkg && !allowed.has(pkg)) problems.push(`${p}: a llama.cpp build for another platform or backend (@node-llama-cpp/${pkg})`);
        if (/\.gguf$/i.test(p)) problems.push(`${p}: a model file`);
        if (/\.(m|c)?ts$/i.test(p)) problems.push(`${p}: TypeScript source`);
        if (/\.map$/i.test(p)) problems.push(`${p}: a source map`);
        if (/(^|\/)(test|tests|__tests__|spec|specs)\//i.test(p) || /\.(test|spec)\.[cm]?js$/i.test(p)) problems.push(`${p}: a test`);
        if (/node_modules\/node-llama-cpp\/llama\/(?!grammars\/|[^/]+\.json$)/.test(p)) problems.push(`${p}: node-llama-cpp's llama.cpp source bundle`);
        if (/\.(c|cc|cpp|cu|h|hpp|metal)$|(^|\/)CMakeLists\.txt$|\.bundle$/i.test(p)) problems.push(`${p}: native source or a source bundle`);
        if (/\.vsix$/i.test(p)) problems.push(`${p}: another VSIX`);
        if (e.head) {
            const kind = nativeKind(e.head);
            if (!kind) problems.push(`${p}: a native file of unknown format`);
            else if (kind.format !== target.native.format || kind.machine !== target.native.machine) {
                problems.push(`${p}: built for ${kind.format} ${kind.machine}, not ${target.target} (${target.native.format} ${target.native.machine})`);
            }
            if (/llama-addon\.node$/.test(p)) addons++;
        }
    }
    if (addons === 0) problems.push("no llama-addon.node: the model process could not load llama.cpp");
    return problems;
}

/** Reads `file` and checks it for `target`. */
export function checkVsix(file: string, target: PackageTarget): { entries: VsixEntry[]; bytes: number; problems: string[] } {
    const entries = readVsix(file);
    const bytes = statSync(file).size;
    return { entries, bytes, problems: vsixProblems(entries, target, bytes) };
}

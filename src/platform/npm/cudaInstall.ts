// CUDA support installed where node-llama-cpp looks for it. node-llama-cpp finds a prebuilt binary package with
// `import("@node-llama-cpp/<platform>-cuda")` from its own files (dist/bindings/utils/compileLLamaCpp.js), i.e.
// Node's resolution: the nearest node_modules up from node_modules/node-llama-cpp, which is the extension's own
// node_modules; it then requires the package's `getBinsDir().packageVersion` to equal its own version. So each
// package is fetched (verified) into the extension's global storage, `<storage>/llama-binaries/<name>@<version>`,
// kept across updates of the extension that pin the same version, and linked (a junction on Windows) into
// `<extension>/node_modules/@node-llama-cpp/<name>`; if a link cannot be made, the files are copied there.
import { cp, lstat, mkdir, readFile, readlink, rm, symlink } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fetchVerifiedPackage } from "./fetchPackage";
import type { DownloadOptions } from "../modelDownloader";

export interface CudaInstallOptions extends DownloadOptions {
    /** The extension's folder (its node_modules holds node-llama-cpp). */
    extensionPath: string;
    /** The extension's global storage folder. */
    storageDir: string;
    registry: string;
    /** Short names (`linux-x64-cuda`, `linux-x64-cuda-ext`). */
    packages: string[];
    /** node-llama-cpp's version: the packages must have exactly this one. */
    version: string;
    /** Called before each package (index from 0). */
    onPackage?: (name: string, index: number) => void;
}

export function installedDir(extensionPath: string, name: string): string {
    return join(extensionPath, "node_modules", "@node-llama-cpp", name);
}

/** The version of node-llama-cpp shipped in the extension. */
export async function llamaCppVersion(extensionPath: string): Promise<string> {
    return (JSON.parse(await readFile(join(extensionPath, "node_modules", "node-llama-cpp", "package.json"), "utf8")) as { version: string }).version;
}

/** True when node-llama-cpp would find `name` of `version` (its package.json and binaries folder in place). */
export async function isInstalled(extensionPath: string, name: string, version: string): Promise<boolean> {
    const dir = installedDir(extensionPath, name);
    try {
        const m = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as { version?: string };
        return m.version === version && (await lstat(join(dir, "bins"))).isDirectory();
    } catch {
        return false;
    }
}

async function link(target: string, at: string): Promise<void> {
    const existing = await lstat(at).catch(() => null);
    if (existing?.isSymbolicLink() && resolve(dirname(at), await readlink(at)) === resolve(target)) return;
    if (existing) await rm(at, { recursive: true, force: true });
    await mkdir(dirname(at), { recursive: true });
    try {
        await symlink(target, at, process.platform === "win32" ? "junction" : "dir");
    } catch {
        await cp(target, at, { recursive: true });
    }
}

/** Fetches (verified, resumable) and installs each package; returns where they were linked. Throws ModelDownloadError. */
export async function installCudaPackages(options: CudaInstallOptions): Promise<string[]> {
    const linked: string[] = [];
    for (const [i, name] of options.packages.entries()) {
        options.onPackage?.(name, i);
        const at = installedDir(options.extensionPath, name);
        if (await isInstalled(options.extensionPath, name, options.version)) {
            linked.push(at);
            continue;
        }
        const dest = join(options.storageDir, "llama-binaries", `${name}@${options.version}`);
        const present = await readFile(join(dest, "package.json"), "utf8").then((t) => (JSON.parse(t) as { version?: string }).version === options.version, () => false);
        if (!present) {
            await fetchVerifiedPackage({ ...options, name: `@node-llama-cpp/${name}`, cacheDir: join(options.storageDir, "llama-binaries", "downloads"), dest });
            await rm(join(options.storageDir, "llama-binaries", "downloads"), { recursive: true, force: true });
        }
        await link(dest, at);
        linked.push(at);
    }
    return linked;
}

// CUDA support fetched from an npm registry stand-in on 127.0.0.1 serving the REAL tarball of the pinned
// @node-llama-cpp/linux-x64-cuda (the bytes npm downloaded for `npm ci`, from its content-addressed cache, found
// by the lockfile's integrity): a dropped connection resumes and the verified package lands where node-llama-cpp
// finds it; a wrong integrity is refused with nothing unpacked; a 404 gives a clear reason.
import * as assert from "node:assert/strict";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, test } from "node:test";
import { cudaFailureText } from "../../../src/core/cuda/cudaPlan";
import { ModelDownloadError } from "../../../src/platform/downloadErrors";
import { installCudaPackages, isInstalled } from "../../../src/platform/npm/cudaInstall";
import { NpmRegistryStandIn } from "../../fixtures/npmRegistry";
import { repoRoot } from "../../fixtures/repoPaths";

const root = repoRoot();
const version = (JSON.parse(readFileSync(join(root, "node_modules", "node-llama-cpp", "package.json"), "utf8")) as { version: string }).version;
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as { packages: Record<string, { integrity?: string }> };
const cudaIntegrity = lock.packages["node_modules/@node-llama-cpp/linux-x64-cuda"]?.integrity ?? "";
const otherIntegrity = lock.packages["node_modules/@node-llama-cpp/linux-x64"]?.integrity ?? "";

/** Where npm's cache (cacache) keeps the bytes of an integrity. */
function cachedTarball(integrity: string): string {
    const hex = Buffer.from(integrity.replace(/^sha512-/, ""), "base64").toString("hex");
    const cache = process.env.npm_config_cache || join(homedir(), ".npm");
    return join(cache, "_cacache", "content-v2", "sha512", hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
}

const tarball = cachedTarball(cudaIntegrity);
const skip = existsSync(tarball) ? false : `the pinned @node-llama-cpp/linux-x64-cuda tarball is not in npm's cache (${tarball}): run npm ci`;
const NAME = "@node-llama-cpp/linux-x64-cuda";

function makeExtension(dir: string): { ext: string; storage: string } {
    const ext = join(dir, "ext");
    mkdirSync(join(ext, "node_modules", "node-llama-cpp", "dist"), { recursive: true });
    writeFileSync(join(ext, "node_modules", "node-llama-cpp", "package.json"), JSON.stringify({ name: "node-llama-cpp", version, type: "module" }));
    // The import node-llama-cpp makes (dist/bindings/utils/compileLLamaCpp.js), from inside its own folder.
    writeFileSync(join(ext, "node_modules", "node-llama-cpp", "dist", "probe.js"), 'const m = await import("@node-llama-cpp/linux-x64-cuda");\nexport const found = m.getBinsDir();\n');
    return { ext, storage: join(dir, "storage") };
}

describe("CUDA support from an npm registry stand-in (the real pinned tarball)", { skip }, () => {
    let dir: string;
    before(() => {
        dir = mkdtempSync(join(tmpdir(), "r1-cuda-"));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    test("a dropped connection resumes; the verified package is unpacked where node-llama-cpp finds it", { timeout: 120_000 }, async (t) => {
        const registry = await NpmRegistryStandIn.start([{ name: NAME, version, file: tarball, integrity: cudaIntegrity, dropFirstAfterBytes: 40 * 1024 * 1024 }]);
        try {
            const { ext, storage } = makeExtension(join(dir, "match"));
            const t0 = Date.now();
            await installCudaPackages({ extensionPath: ext, storageDir: storage, registry: registry.url, packages: ["linux-x64-cuda"], version, retryDelayMs: 10 });
            t.diagnostic(`143 MB fetched, verified and unpacked in ${Date.now() - t0} ms`);
            const gets = registry.requests.filter((r) => r.url.startsWith("/tarballs/"));
            assert.equal(gets.length, 2, "one dropped request and one resumed");
            // The server drops the connection after 40 MiB; what reached the part file before the drop is kept (the last
            // chunks in flight may not have), and the second request asks for the rest from there.
            const resumedAt = Number(/^bytes=(\d+)-$/.exec(gets[1].range ?? "")?.[1]);
            assert.ok(resumedAt > 30 * 1024 * 1024 && resumedAt <= 40 * 1024 * 1024, `the second request resumes where the first stopped (${gets[1].range})`);
            assert.ok(await isInstalled(ext, "linux-x64-cuda", version));
            assert.ok(lstatSync(join(ext, "node_modules", "@node-llama-cpp", "linux-x64-cuda")).isSymbolicLink(), "linked from the global storage");
            // What node-llama-cpp checks: the module resolves from its folder, its version is node-llama-cpp's, and the
            // binaries folder has llama-addon.node and the build metadata.
            const probe = (await import(pathToFileURL(join(ext, "node_modules", "node-llama-cpp", "dist", "probe.js")).href)) as { found: { binsDir: string; packageVersion: string } };
            assert.equal(probe.found.packageVersion, version);
            assert.ok(probe.found.binsDir.startsWith(storage), probe.found.binsDir);
            for (const f of ["llama-addon.node", "_nlcBuildMetadata.json", "libggml-cuda.so"]) assert.ok(existsSync(join(probe.found.binsDir, "linux-x64-cuda", f)), f);
            assert.equal(existsSync(join(storage, "llama-binaries", "downloads")), false, "the tarball is not kept once unpacked");
        } finally {
            await registry.close();
        }
    });

    test("an integrity mismatch is refused: nothing unpacked or linked, the tarball deleted", { timeout: 120_000 }, async () => {
        const registry = await NpmRegistryStandIn.start([{ name: NAME, version, file: tarball, integrity: otherIntegrity }]);
        try {
            const { ext, storage } = makeExtension(join(dir, "mismatch"));
            await assert.rejects(
                installCudaPackages({ extensionPath: ext, storageDir: storage, registry: registry.url, packages: ["linux-x64-cuda"], version, retryDelayMs: 10 }),
                (e: unknown) => e instanceof ModelDownloadError && e.code === "checksum-mismatch" && /failed its integrity check/.test(e.message) && /nothing was unpacked/.test(e.message)
            );
            assert.equal(await isInstalled(ext, "linux-x64-cuda", version), false);
            assert.equal(existsSync(join(ext, "node_modules", "@node-llama-cpp")), false, "nothing linked");
            const binaries = join(storage, "llama-binaries");
            const left = existsSync(binaries) ? readdirSync(binaries, { recursive: true }).map(String) : [];
            assert.deepEqual(left.filter((f) => !f.startsWith("downloads")), [], "nothing unpacked");
            assert.deepEqual(left.filter((f) => f.endsWith(".tgz")), [], "the tarball that failed was deleted");
        } finally {
            await registry.close();
        }
    });

    test("a 404 from the registry: a clear reason, nothing installed", { timeout: 30_000 }, async () => {
        const registry = await NpmRegistryStandIn.start([]);
        try {
            const { ext, storage } = makeExtension(join(dir, "missing"));
            const error = await installCudaPackages({ extensionPath: ext, storageDir: storage, registry: registry.url, packages: ["linux-x64-cuda"], version }).then(() => undefined, (e: unknown) => e);
            assert.ok(error instanceof ModelDownloadError && error.code === "not-found", String(error));
            assert.match(cudaFailureText(error.code, error.message, registry.url), /^the registry 127\.0\.0\.1:\d+ does not have it \(HTTP 404\)/);
            assert.equal(await isInstalled(ext, "linux-x64-cuda", version), false);
        } finally {
            await registry.close();
        }
    });
});

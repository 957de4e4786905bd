// Reliability: model downloads on a real small filesystem. A size-limited tmpfs is mounted for the test (this needs
// root and a kernel that allows it: CI and the dev container run as root); another program fills it in the middle of
// a download. What the user would notice: a clear "disk filled up" message, the part file kept and resumed from once
// there is space again, never listed as a model; a checksum mismatch deletes the file and says so.
// Where mounting is not permitted the disk-full case runs against /dev/full (the kernel's own ENOSPC) and says so.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statfsSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ModelDownloadError } from "../../../src/platform/downloadErrors";
import { type DownloadOptions, downloadFiles } from "../../../src/platform/modelDownloader";
import { ModelStore } from "../../../src/platform/modelStore";
import { partPath, sidecarPath } from "../../../src/platform/partialDownload";
import { fakeModel } from "../support/ggufBytes";
import { sha256, startFileServer, type TestServer } from "../support/testServers";
import { recordFigures } from "./figures";

const MODEL_BYTES = 3 * 1024 * 1024;
const TMPFS_BYTES = 8 * 1024 * 1024;
let server: TestServer;
let base = "";
let mounted = "";
let mountProblem = "";

before(async () => {
    server = await startFileServer();
    base = mkdtempSync(join(tmpdir(), "r1-dlfault-"));
    const dir = join(base, "disk");
    mkdirSync(dir);
    const r = process.platform === "linux" ? spawnSync("mount", ["-t", "tmpfs", "-o", `size=${TMPFS_BYTES}`, "tmpfs", dir], { encoding: "utf8" }) : undefined;
    if (r && r.status === 0) mounted = dir;
    else mountProblem = r ? (r.stderr || r.error?.message || `mount exited ${r.status}`).trim() : `not Linux (${process.platform})`;
});

after(async () => {
    await server.close();
    if (mounted) spawnSync("umount", [mounted]);
    rmSync(base, { recursive: true, force: true });
});

const quick: DownloadOptions = { maxAttempts: 1, retryDelayMs: 10, progressIntervalMs: 0 };

async function rejectsWith(p: Promise<unknown>, code: string): Promise<ModelDownloadError> {
    try {
        await p;
    } catch (e) {
        assert.ok(e instanceof ModelDownloadError, `expected ModelDownloadError, got ${String(e)}`);
        assert.equal(e.code, code, e.message);
        return e;
    }
    assert.fail(`expected a ${code} error`);
}

/** Fills the filesystem of `dir` (what another program does) with a file; returns its path. */
function fill(dir: string): string {
    const filler = join(dir, "filler.bin");
    const { bavail, bsize } = statfsSync(dir);
    try {
        writeFileSync(filler, Buffer.alloc(Number(bavail) * Number(bsize)));
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOSPC") throw e;
    }
    return filler;
}

test("disk full in the middle of a download (a real tmpfs filled by another program): clear message, part kept and never listed as a model, resumed once there is space", async (t) => {
    if (!mounted) {
        t.diagnostic(`tmpfs not mounted (${mountProblem}): the disk-full case runs against /dev/full below instead`);
        t.skip("mounting a tmpfs is not permitted here");
        return;
    }
    const body = fakeModel("qwen2", MODEL_BYTES);
    server.routes.set("/full/model.gguf", { body, etag: '"v1"', paceBytes: 64 * 1024, paceMs: 1 });
    const destination = join(mounted, "pub", "model.gguf");
    let filler = "";
    t.after(() => rmSync(filler || join(mounted, "none"), { force: true }));
    // The disk fills up once a good part of the file is on disk (what the user then keeps).
    const onDisk = () => (existsSync(partPath(destination)) ? statSync(partPath(destination)).size : 0);
    const e = await rejectsWith(downloadFiles([{ url: server.url("/full/model.gguf"), destination, sizeBytes: body.length }], {
        ...quick,
        onProgress: (p) => {
            if (!filler && p.phase === "downloading" && onDisk() >= MODEL_BYTES / 3) filler = fill(mounted);
        }
    }), "disk-full");
    assert.match(e.message, /The disk filled up while downloading model\.gguf into .*pub\. Free some space .* and download again: it resumes from/);
    assert.equal(existsSync(destination), false, "no file under the model's name");
    const kept = statSync(partPath(destination)).size;
    assert.ok(kept > 0 && kept < body.length, `the part file is kept (${kept} bytes)`);
    assert.ok(existsSync(sidecarPath(destination)), "with its sidecar, for the resume");
    const [listed] = await new ModelStore(mounted).list();
    assert.ok(listed, "the store shows the unfinished download");
    assert.equal(listed.complete, false, "never as a complete model");
    assert.deepEqual(listed.files, [], "no complete file to load");
    assert.equal(listed.partialBytes, kept);
    // Space again: the same download resumes from the part and ends with the right bytes.
    rmSync(filler);
    const r = await downloadFiles([{ url: server.url("/full/model.gguf"), destination, sizeBytes: body.length, sha256: sha256(body) }], quick);
    assert.equal(r.files[0]!.resumedFromBytes, kept, "resumed where the disk filled up");
    assert.equal(r.files[0]!.sha256, sha256(body));
    assert.equal(existsSync(partPath(destination)), false);
    const [complete] = await new ModelStore(mounted).list();
    assert.equal(complete?.complete, true);
    recordFigures("downloadFaults", { filesystem: `tmpfs ${TMPFS_BYTES / 1048576} MiB`, diskFull: { modelBytes: body.length, keptBytes: kept, resumedFromBytes: r.files[0]!.resumedFromBytes, lostBytes: 0 } });
    rmSync(join(mounted, "pub"), { recursive: true, force: true });
});

test("disk full without a mount: the kernel's ENOSPC (/dev/full as the part file) gives the same clear message and no model", async (t) => {
    if (process.platform !== "linux" || !existsSync("/dev/full")) {
        t.skip("/dev/full is Linux only");
        return;
    }
    const body = fakeModel("qwen2", 256 * 1024);
    server.routes.set("/devfull/model.gguf", { body, etag: '"v1"' });
    const dir = join(base, "devfull");
    mkdirSync(dir);
    const destination = join(dir, "model.gguf");
    symlinkSync("/dev/full", partPath(destination));
    const e = await rejectsWith(downloadFiles([{ url: server.url("/devfull/model.gguf"), destination, sizeBytes: body.length }], quick), "disk-full");
    assert.match(e.message, /The disk filled up while downloading model\.gguf/);
    assert.equal(existsSync(destination), false, "no file under the model's name");
});

test("checksum mismatch on the small filesystem: the damaged file is deleted and the message says so", async (t) => {
    const dir = mounted || join(base, "plain");
    if (!mounted) t.diagnostic(`tmpfs not mounted (${mountProblem}): on the temp dir instead`);
    mkdirSync(join(dir, "pub"), { recursive: true });
    const body = fakeModel("qwen2", 512 * 1024);
    server.routes.set("/bad/model.gguf", { body, etag: '"v1"' });
    const destination = join(dir, "pub", "model.gguf");
    const wrong = "0".repeat(64);
    const e = await rejectsWith(downloadFiles([{ url: server.url("/bad/model.gguf"), destination, sha256: wrong }], quick), "checksum-mismatch");
    assert.match(e.message, /model\.gguf is corrupt: its sha256 is [0-9a-f]{64}, expected 0{64}\. The damaged file was deleted/);
    for (const p of [destination, partPath(destination), sidecarPath(destination)]) assert.equal(existsSync(p), false, `${p} is gone`);
    assert.deepEqual(await new ModelStore(dir).list(), [], "nothing listed");
    recordFigures("downloadChecksum", { filesystem: mounted ? "tmpfs" : "temp dir", deletedBytes: body.length });
});

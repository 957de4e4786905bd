import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type Catalog, type CatalogEntry, catalogEntries, type CatalogModel } from "../../../src/core/models/modelCatalog";
import { defaultModelsDir, ModelStore } from "../../../src/platform/modelStore";
import { fakeModel } from "../support/ggufBytes";
import { sha256, startFileServer, type TestServer } from "../support/testServers";

let server: TestServer;
let root: string;
let catalog: Catalog;
let single: CatalogEntry;
let split: CatalogEntry;
const bodies = new Map<string, Buffer>();

/** A catalog like models/catalog.json, but whose URLs point at the local test server. */
function testCatalog(): Catalog {
    const file = (repo: string, path: string, size: number) => {
        const body = fakeModel("qwen2", size);
        bodies.set(path, body);
        server.routes.set(`/${repo}/resolve/main/${path}`, { body });
        return { path, url: server.url(`/${repo}/resolve/main/${path}`), sizeBytes: body.length, sizePrecision: "exact" as const, sha256: sha256(body), source: "https://example.invalid/" };
    };
    const base: Omit<CatalogModel, "id" | "name" | "quantizations"> = {
        kind: "distill", parameters: 1.78e9, baseModel: "Qwen2.5-Math-1.5B", baseModelUrl: "https://example.invalid/", upstream: "https://example.invalid/",
        license: "MIT", contextLength: 131072, requiresServingEngine: false,
        architecture: { ggufArchitecture: "qwen2", layers: 28, hiddenSize: 1536, attentionHeads: 12, kvHeads: 2, headDim: 128, vocabSize: 151936, feedForwardSize: 8960 },
        benchmarks: { aime2024Pass1: null, aime2024Cons64: null, math500Pass1: null, gpqaDiamondPass1: null, liveCodeBenchPass1: null, codeforcesRating: null, source: "https://example.invalid/" }
    };
    const a = [file("pub/Tiny-GGUF", "Tiny-Q4_K_M.gguf", 200_000)];
    const b = [1, 2, 3].map((i) => file("other/Big-GGUF", `Big-Q8_0/Big-Q8_0-0000${i}-of-00003.gguf`, 100_000 + i));
    return {
        schemaVersion: 1,
        models: [
            { ...base, id: "tiny", name: "Tiny", quantizations: [{ quant: "Q4_K_M", repo: "pub/Tiny-GGUF", files: a, sizeBytes: a.reduce((s, f) => s + f.sizeBytes, 0), sizeEstimated: false }] },
            { ...base, id: "big", name: "Big", quantizations: [{ quant: "Q8_0", repo: "other/Big-GGUF", files: b, sizeBytes: b.reduce((s, f) => s + f.sizeBytes, 0), sizeEstimated: false }] }
        ]
    };
}

before(async () => {
    server = await startFileServer();
    root = mkdtempSync(join(tmpdir(), "r1-store-"));
    catalog = testCatalog();
    [single, split] = catalogEntries(catalog);
});
after(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
});

test("the default folder is <global storage>/models; an absent folder lists nothing", async () => {
    assert.equal(defaultModelsDir("/home/u/.vscode/globalStorage/r1"), join("/home/u/.vscode/globalStorage/r1", "models"));
    assert.deepEqual(await new ModelStore(join(root, "nothing-here"), catalog).list(), []);
});

test("download into the store, then list it with its size and catalog entry", async () => {
    const store = new ModelStore(join(root, "a"), catalog);
    assert.equal(await store.isDownloaded(single), false);
    await store.download(single, { maxAttempts: 1 });
    assert.equal(await store.isDownloaded(single), true);
    assert.equal(store.modelPathFor(single), join(root, "a", "pub", "Tiny-Q4_K_M.gguf"));
    assert.deepEqual(readFileSync(store.modelPathFor(single)), bodies.get("Tiny-Q4_K_M.gguf"), "the stored file is the served model, byte for byte");
    const [m] = await store.list();
    assert.equal(m.path, store.modelPathFor(single));
    assert.equal(m.publisher, "pub");
    assert.equal(m.entry?.id, "tiny:Q4_K_M");
    assert.equal(m.sizeBytes, bodies.get("Tiny-Q4_K_M.gguf")!.length);
    assert.equal(m.complete, true);
});

test("split models: all parts side by side, listed as one model; missing and half-done parts are shown", async () => {
    const store = new ModelStore(join(root, "b"), catalog);
    await store.download(split, { maxAttempts: 1 });
    let [m] = await store.list();
    assert.equal(m.name, "Big-Q8_0-00001-of-00003.gguf");
    assert.equal(m.files.length, 3);
    assert.equal(m.entry?.id, "big:Q8_0");
    assert.equal(m.complete, true);

    rmSync(join(root, "b", "other", "Big-Q8_0-00003-of-00003.gguf"));
    writeFileSync(join(root, "b", "other", "Big-Q8_0-00003-of-00003.gguf.part"), Buffer.alloc(5000));
    [m] = await store.list();
    assert.equal(m.complete, false);
    assert.deepEqual(m.missingParts, [3]);
    assert.equal(m.partialBytes, 5000);
    assert.equal(await store.isDownloaded(split), false);

    // Downloading again finishes the model (the stray .part has no sidecar, so it restarts cleanly).
    await store.download(split, { maxAttempts: 1 });
    [m] = await store.list();
    assert.equal(m.complete, true);
});

test("files the catalog does not know are listed too, without an entry", async () => {
    const dir = join(root, "c");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "my-own-model.gguf"), fakeModel("llama", 1000));
    writeFileSync(join(dir, "notes.txt"), "not a model");
    const list = await new ModelStore(dir, catalog).list();
    assert.equal(list.length, 1);
    assert.equal(list[0].entry, null);
    assert.equal(list[0].publisher, null);
});

test("delete removes every part, unfinished download and sidecar, and nothing outside the store", async () => {
    const store = new ModelStore(join(root, "d"), catalog);
    await store.download(split, { maxAttempts: 1 });
    await store.download(single, { maxAttempts: 1 });
    writeFileSync(join(root, "d", "other", "Big-Q8_0-00002-of-00003.gguf.part.json"), "{}");
    const [big] = (await store.list()).filter((m) => m.entry?.id === "big:Q8_0");
    const removed = await store.delete(big);
    assert.equal(removed.length, 4);
    assert.deepEqual(readdirSync(join(root, "d", "other")), []);
    assert.equal((await store.list()).length, 1, "the other model stays");
    // By catalog entry and by path as well.
    await store.delete(single);
    assert.equal(existsSync(store.modelPathFor(single)), false);
    await assert.rejects(store.delete(join(root, "elsewhere.gguf")), /not inside the models folder/);
});

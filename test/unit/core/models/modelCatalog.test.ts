import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, test } from "node:test";
import {
    type Catalog, CatalogError, type CatalogEntry, catalogEntries, estimateMemory, findEntry, findEntryByFile, GiB, judgeFit, kvCacheBytes,
    type MachineInfo, memoryBudgets, parseCatalog, QUANTS, recommend, validateCatalog
} from "../../../../src/core/models/modelCatalog";
import { catalogPath, readCatalogFile } from "../../../../src/platform/catalogFile";
import { repoRoot as findRepoRoot } from "../../../fixtures/repoPaths";

const repoRoot = findRepoRoot();
const rawCatalog = () => JSON.parse(readFileSync(catalogPath(repoRoot), "utf8")) as Record<string, unknown> & { models: Array<Record<string, unknown>> };
const DISTILLS = ["Qwen-1.5B", "Qwen-7B", "Qwen-14B", "Qwen-32B", "Llama-8B", "Llama-70B"];

let catalog: Catalog;
let entries: CatalogEntry[];

before(async () => {
    catalog = await readCatalogFile(catalogPath(repoRoot));
    entries = catalogEntries(catalog);
});

test("models/catalog.json is valid: every entry complete, sizes sane for the quantization, URLs well-formed, ids unique", () => {
    assert.deepEqual(validateCatalog(rawCatalog()), []);
    assert.equal(new Set(entries.map((e) => e.id)).size, entries.length);
    for (const e of entries) {
        for (const f of e.quantization.files) {
            const url = new URL(f.url);
            assert.equal(url.protocol, "https:");
            assert.equal(url.host, "huggingface.co");
            assert.equal(url.pathname, `/${e.quantization.repo}/resolve/main/${f.path}`);
        }
    }
});

test("the six distills at Q4_K_M, Q5_K_M, Q6_K and Q8_0, with their bases, 131072-token context and README benchmarks", () => {
    for (const d of DISTILLS) {
        const m = catalog.models.find((x) => x.name === `DeepSeek-R1-Distill-${d}`);
        assert.ok(m, d);
        assert.equal(m.kind, "distill");
        assert.equal(m.requiresServingEngine, false);
        assert.equal(m.contextLength, 131072);
        assert.deepEqual(m.quantizations.map((q) => q.quant), ["Q4_K_M", "Q5_K_M", "Q6_K", "Q8_0"]);
        assert.equal(m.architecture.ggufArchitecture, d.startsWith("Qwen") ? "qwen2" : "llama");
        assert.match(m.benchmarks.source, /github\.com\/deepseek-ai\/DeepSeek-R1\/blob\/[0-9a-f]{40}\/README\.md/);
        for (const key of ["aime2024Pass1", "aime2024Cons64", "math500Pass1", "gpqaDiamondPass1", "liveCodeBenchPass1", "codeforcesRating"] as const) {
            assert.equal(typeof m.benchmarks[key], "number", `${d} ${key}`);
        }
        // The publisher's file naming: <model>-<quant>.gguf (70B Q5_K_M and up are split in a folder).
        for (const q of m.quantizations) assert.ok(q.files[0].path.includes(`DeepSeek-R1-Distill-${d}-${q.quant}`));
    }
    // Two figures quoted in the issue, to pin the table to the right columns.
    assert.equal(catalog.models.find((m) => m.id === "deepseek-r1-distill-qwen-1.5b")?.benchmarks.liveCodeBenchPass1, 16.9);
    assert.equal(catalog.models.find((m) => m.id === "deepseek-r1-distill-qwen-32b")?.benchmarks.liveCodeBenchPass1, 57.2);
    assert.equal(catalog.models.find((m) => m.id === "deepseek-r1-distill-llama-70b")?.baseModel, "Llama-3.3-70B-Instruct");
    assert.equal(catalog.models.find((m) => m.id === "deepseek-r1-distill-llama-8b")?.baseModel, "Llama-3.1-8B");
});

test("R1 and R1-Zero need a serving engine and list every part of their split GGUFs", () => {
    for (const id of ["deepseek-r1", "deepseek-r1-zero"]) {
        const m = catalog.models.find((x) => x.id === id);
        assert.ok(m);
        assert.equal(m.requiresServingEngine, true);
        assert.equal(m.parameters, 671e9);
        assert.ok((m.servingEngines ?? []).includes("vLLM"));
        for (const q of m.quantizations) {
            assert.ok(q.files.length > 1, "split");
            q.files.forEach((f, i) => assert.ok(f.path.endsWith(`-${String(i + 1).padStart(5, "0")}-of-${String(q.files.length).padStart(5, "0")}.gguf`)));
            assert.ok(q.sizeBytes > 100e9);
        }
    }
});

test("sizes and checksums say how they are known", () => {
    let withSha = 0;
    for (const e of entries) {
        for (const f of e.quantization.files) {
            if (f.sha256) {
                withSha++;
                assert.ok(f.source, `${f.path}: a checksum has a source`);
            }
            if (f.sizePrecision !== "estimated") assert.ok(f.source?.startsWith("https://huggingface.co/"), `${f.path}: a measured size has a source`);
        }
        assert.equal(e.quantization.sizeEstimated, e.quantization.files.some((f) => f.sizePrecision === "estimated"));
    }
    assert.ok(withSha >= 15, `${withSha} files carry a sha256`);
});

test("validation reports every problem: duplicate ids, bad URLs, insane sizes, misnamed split parts, bad checksums", () => {
    const bad = rawCatalog();
    const models = bad.models as Array<Record<string, unknown> & { quantizations: Array<Record<string, unknown> & { files: Array<Record<string, unknown>> }> }>;
    models[1].id = models[0].id;
    models[0].quantizations[0].files[0].url = "http://huggingface.co/x/y/resolve/main/z.gguf";
    const q = models[2].quantizations[0];
    q.files[0].sizeBytes = (q.files[0].sizeBytes as number) * 2;
    q.sizeBytes = (q.sizeBytes as number) * 2;
    const split = models.find((m) => m.id === "deepseek-r1-distill-llama-70b")!.quantizations.find((x) => x.quant === "Q8_0")!;
    split.files.reverse();
    models[3].quantizations[1].files[0].sha256 = "XYZ";
    const problems = validateCatalog(bad);
    const has = (re: RegExp) => assert.ok(problems.some((p) => re.test(p)), `expected a problem matching ${re}:\n${problems.join("\n")}`);
    has(/duplicate id/);
    has(/url must be https:\/\/huggingface\.co\//);
    has(/bits per weight/);
    has(/part 1 of 2 must be named/);
    has(/sha256 must be 64/);
    assert.throws(() => parseCatalog(bad), (e: unknown) => e instanceof CatalogError && e.problems.length === problems.length);
    assert.deepEqual(validateCatalog({ schemaVersion: 2, models: [] }), ["schemaVersion is 2, expected 1", "models must be a non-empty array"]);
});

test("entries are found by id and by downloaded file name", () => {
    const e = findEntry(catalog, "deepseek-r1-distill-qwen-7b:Q4_K_M");
    assert.ok(e);
    assert.equal(findEntryByFile(catalog, "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf", "bartowski")?.entry.id, e.id);
    const part = findEntryByFile(catalog, "DeepSeek-R1-Distill-Llama-70B-Q8_0-00002-of-00002.gguf");
    assert.equal(part?.entry.id, "deepseek-r1-distill-llama-70b:Q8_0");
    assert.equal(part?.partIndex, 1);
    assert.equal(findEntryByFile(catalog, "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf", "someone-else"), undefined);
});

test("memory estimate: weights are the file, the KV cache grows with context and follows the architecture", () => {
    const qwen7 = findEntry(catalog, "deepseek-r1-distill-qwen-7b:Q4_K_M")!;
    const llama8 = findEntry(catalog, "deepseek-r1-distill-llama-8b:Q4_K_M")!;
    const a = estimateMemory(qwen7, 4096);
    const b = estimateMemory(qwen7, 8192);
    assert.equal(a.weightsBytes, qwen7.quantization.sizeBytes);
    assert.equal(b.kvCacheBytes, 2 * a.kvCacheBytes, "KV cache is linear in context");
    assert.equal(b.totalBytes, b.weightsBytes + b.kvCacheBytes + b.overheadBytes);
    // Llama-8B keeps 8 KV heads in 32 layers, Qwen-7B 4 in 28: the cache per token differs by that ratio.
    assert.equal(estimateMemory(llama8, 8192).kvCacheBytes / b.kvCacheBytes, (32 * 8) / (28 * 4));
    // q8_0 cache halves it; flash attention drops the attention-score buffer.
    assert.equal(estimateMemory(qwen7, 8192, { kvBytesPerElement: 1 }).kvCacheBytes, b.kvCacheBytes / 2);
    assert.ok(estimateMemory(qwen7, 8192, { flashAttention: true }).overheadBytes < b.overheadBytes);
    // R1's latent attention caches far less per token than full K/V for its 128 heads would.
    const r1 = findEntry(catalog, "deepseek-r1:Q4_K_M")!;
    const arch = r1.model.architecture;
    assert.ok(kvCacheBytes(arch, 8192) * 20 < kvCacheBytes({ ...arch, kvLoraRank: undefined }, 8192));
    assert.match(b.explanation, /weights 4\.\d+ GB \+ KV cache/);
    assert.throws(() => estimateMemory(qwen7, 0), RangeError);
});

// ---------------------------------------------------------------------------------------------
// Recommendation across machines. Expectations follow from the rule, not from fixed answers: the
// choice fits with headroom on the first target that can hold any model, and no entry that ranks
// higher (better LiveCodeBench, then larger) also fits there.

const machines: Array<{ name: string; machine: MachineInfo; target: "gpu" | "unified" | "cpu"; expect: (e: CatalogEntry) => boolean; why: string }> = [
    {
        name: "8 GB laptop, no GPU",
        machine: { gpus: [], ramBytes: 8 * GiB, freeRamBytes: 5 * GiB, unifiedMemory: false },
        target: "cpu", expect: (e) => e.model.id === "deepseek-r1-distill-qwen-1.5b", why: "only the 1.5B fits in 5 GiB free with headroom"
    },
    {
        name: "16 GB Mac (unified memory)",
        machine: { gpus: [{ vramBytes: (16 * GiB * 2) / 3, freeVramBytes: (16 * GiB * 2) / 3, backend: "metal" }], ramBytes: 16 * GiB, freeRamBytes: 9 * GiB, unifiedMemory: true },
        target: "unified", expect: (e) => e.model.parameters >= 7e9 && e.model.parameters < 9e9, why: "a 7B/8B distill; 14B does not fit in the GPU's share"
    },
    {
        name: "24 GB GPU",
        machine: { gpus: [{ vramBytes: 24 * GiB, freeVramBytes: 23.5 * GiB, backend: "cuda" }], ramBytes: 32 * GiB, freeRamBytes: 24 * GiB, unifiedMemory: false },
        target: "gpu", expect: (e) => e.id === "deepseek-r1-distill-qwen-32b:Q4_K_M", why: "32B at Q4_K_M rather than 14B at Q8_0"
    },
    {
        name: "80 GB GPU",
        machine: { gpus: [{ vramBytes: 80 * GiB, freeVramBytes: 79 * GiB, backend: "cuda" }], ramBytes: 256 * GiB, freeRamBytes: 200 * GiB, unifiedMemory: false },
        target: "gpu", expect: (e) => e.model.id === "deepseek-r1-distill-llama-70b", why: "the 70B distill"
    },
    {
        name: "CPU only, 64 GB RAM",
        machine: { gpus: [], ramBytes: 64 * GiB, freeRamBytes: 56 * GiB, unifiedMemory: false },
        target: "cpu", expect: (e) => e.quantization.sizeBytes <= 6e9 && e.model.parameters >= 7e9, why: "a small model although 70B would fit in RAM"
    }
];

function rank(e: CatalogEntry): [number, number, number] {
    return [e.model.benchmarks.liveCodeBenchPass1 ?? 0, e.model.parameters, QUANTS[e.quantization.quant].qualityRank];
}
function ranksAbove(a: CatalogEntry, b: CatalogEntry): boolean {
    const [x, y] = [rank(a), rank(b)];
    return x[0] > y[0] || (x[0] === y[0] && (x[1] > y[1] || (x[1] === y[1] && x[2] > y[2])));
}

for (const { name, machine, target, expect, why } of machines) {
    test(`recommend — ${name}: ${why}`, (t) => {
        const r = recommend(entries, machine);
        assert.ok(r.choice, r.reason);
        const c = r.choice;
        assert.equal(r.budget.target, target);
        assert.ok(expect(c.entry), `got ${c.entry.id}: ${r.reason}`);
        assert.equal(c.fit, "fits");
        assert.ok(c.estimate.totalBytes + r.budget.headroomBytes <= r.budget.availableBytes, "fits with headroom");
        assert.ok(c.entry.model.requiresServingEngine === false);
        assert.ok(QUANTS[c.entry.quantization.quant].qualityRank >= QUANTS.Q4_K_M.qualityRank);
        for (const e of r.evaluations) {
            if (e.excluded === undefined && e.fit === "fits") assert.ok(!ranksAbove(e.entry, c.entry), `${e.entry.id} fits and ranks above ${c.entry.id}`);
        }
        assert.ok(r.reason.includes(c.entry.model.name) && r.reason.includes(c.entry.quantization.quant), r.reason);
        if (target === "cpu") assert.match(r.reason, /CPU/);
        // Every entry is marked fits / tight / too big, consistently with the numbers.
        assert.equal(r.evaluations.length, entries.length);
        for (const e of r.evaluations) {
            const { totalBytes } = e.estimate;
            const { availableBytes, headroomBytes } = r.budget;
            const expected = totalBytes + headroomBytes <= availableBytes ? "fits" : totalBytes <= availableBytes ? "tight" : "too-big";
            assert.equal(e.fit, expected, e.entry.id);
            assert.equal(judgeFit(totalBytes, r.budget), e.fit);
            assert.match(e.detail, e.fit === "too-big" ? /^too big/ : new RegExp(`^${e.fit}`));
            if (e.entry.model.requiresServingEngine) assert.match(e.excluded ?? "", /serving engine/);
        }
        t.diagnostic(`${name}: ${c.entry.id} — ${r.evaluations.map((e) => `${e.entry.id.replace("deepseek-r1-distill-", "")} ${e.fit}${e.excluded ? " (excluded)" : ""}`).join(", ")}`);
    });
}

test("the 24 GB case really weighs a larger model at Q4_K_M against a smaller one at Q8_0", () => {
    const r = recommend(entries, machines[2].machine);
    const q8 = r.evaluations.find((e) => e.entry.id === "deepseek-r1-distill-qwen-14b:Q8_0");
    assert.equal(q8?.fit, "fits", "14B Q8_0 fits too, yet 32B Q4_K_M is chosen");
    assert.equal(r.choice?.entry.id, "deepseek-r1-distill-qwen-32b:Q4_K_M");
});

test("CPU-only: 70B fits in 64 GB of RAM but is excluded as too slow, and the reason says so", () => {
    const r = recommend(entries, machines[4].machine);
    const big = r.evaluations.find((e) => e.entry.id === "deepseek-r1-distill-llama-70b:Q4_K_M");
    assert.equal(big?.fit, "fits");
    assert.match(big?.excluded ?? "", /too slow on a CPU/);
    assert.match(r.reason, /too slow/);
});

test("a GPU too small for any model falls back to the CPU with small models, and says why", () => {
    const r = recommend(entries, { gpus: [{ vramBytes: 2 * GiB, freeVramBytes: 1.5 * GiB, backend: "vulkan" }], ramBytes: 32 * GiB, freeRamBytes: 20 * GiB, unifiedMemory: false });
    assert.equal(r.budget.target, "cpu");
    assert.ok(r.choice && r.choice.entry.quantization.sizeBytes <= 6e9);
    assert.match(r.reason, /Nothing fits on the GPU/);
});

test("a machine too small for anything gets no choice and a reason with the fix", () => {
    const r = recommend(entries, { gpus: [], ramBytes: 4 * GiB, freeRamBytes: 1 * GiB, unifiedMemory: false });
    assert.equal(r.choice, null);
    assert.match(r.reason, /Not even the smallest model fits/);
    assert.match(r.reason, /r1\.contextSize/);
});

test("a longer context can push the choice down, never up", () => {
    const m = machines[2].machine;
    const short = recommend(entries, m, { contextSize: 4096 }).choice!;
    const long = recommend(entries, m, { contextSize: 65536 }).choice!;
    assert.ok(!ranksAbove(long.entry, short.entry));
    assert.notEqual(long.entry.id, short.entry.id, "64k tokens of KV cache change the 24 GB answer");
});

test("unified memory: the GPU gets only its share of RAM, and CPU 'gpus' are ignored", () => {
    const mac = memoryBudgets({ gpus: [], ramBytes: 16 * GiB, freeRamBytes: 8 * GiB, unifiedMemory: true });
    assert.ok(mac.unified && mac.unified.availableBytes < 16 * GiB * 0.7);
    const big = memoryBudgets({ gpus: [], ramBytes: 64 * GiB, freeRamBytes: 8 * GiB, unifiedMemory: true });
    assert.ok(big.unified && big.unified.availableBytes === 64 * GiB * 0.75);
    const cpuOnly = memoryBudgets({ gpus: [{ vramBytes: 8 * GiB, freeVramBytes: 8 * GiB, backend: "cpu" }], ramBytes: 16 * GiB, freeRamBytes: 8 * GiB, unifiedMemory: false });
    assert.equal(cpuOnly.gpu, undefined);
    const two = memoryBudgets({ gpus: [{ vramBytes: 24 * GiB, freeVramBytes: 20 * GiB, backend: "cuda" }, { vramBytes: 24 * GiB, freeVramBytes: 22 * GiB, backend: "cuda" }], ramBytes: 64 * GiB, freeRamBytes: 8 * GiB, unifiedMemory: false });
    assert.equal(two.gpu?.availableBytes, 42 * GiB, "llama.cpp splits layers across GPUs");
});

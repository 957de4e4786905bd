import assert from "node:assert/strict";
import { before, test } from "node:test";
import { GiB } from "../../../../src/core/models/byteSize";
import { type CatalogEntry, catalogEntries, QUANTS } from "../../../../src/core/models/modelCatalog";
import { judgeFit, type MachineInfo, memoryBudgets, recommend } from "../../../../src/core/models/modelRecommendation";
import { catalogPath, readCatalogFile } from "../../../../src/platform/catalogFile";
import { repoRoot } from "../../../fixtures/repoPaths";

let entries: CatalogEntry[];

before(async () => {
    entries = catalogEntries(await readCatalogFile(catalogPath(repoRoot())));
});

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

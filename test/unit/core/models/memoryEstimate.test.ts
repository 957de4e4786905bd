import assert from "node:assert/strict";
import { before, test } from "node:test";
import { estimateMemory, kvCacheBytes } from "../../../../src/core/models/memoryEstimate";
import { type Catalog, findEntry } from "../../../../src/core/models/modelCatalog";
import { catalogPath, readCatalogFile } from "../../../../src/platform/catalogFile";
import { repoRoot } from "../../../fixtures/repoPaths";

let catalog: Catalog;

before(async () => {
    catalog = await readCatalogFile(catalogPath(repoRoot()));
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

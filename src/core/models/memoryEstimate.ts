// How much memory a model needs at a given context (docs/models.md): the weights (the GGUF file), the KV cache
// (per the architecture; DeepSeek's latent attention caches less), compute buffers and a fixed runtime overhead.

import { formatBytes, MiB } from "./byteSize";
import type { ArchitectureInfo, CatalogEntry } from "./modelCatalog";

export interface MemoryEstimateOptions {
    /** Bytes per cached K or V element: 2 for f16 (llama.cpp's default), 1 for q8_0. */
    kvBytesPerElement?: number;
    /** Tokens evaluated per batch (llama.cpp and node-llama-cpp default 512). */
    batchSize?: number;
    /** With flash attention the attention scores are never materialised. */
    flashAttention?: boolean;
    /** Fixed runtime cost: backend context, graph, scratch. Default 512 MiB. */
    fixedOverheadBytes?: number;
}

export interface MemoryEstimate {
    contextSize: number;
    weightsBytes: number;
    kvCacheBytes: number;
    /** Compute buffers (logits and attention scores of one batch) + fixed runtime overhead. */
    overheadBytes: number;
    totalBytes: number;
    /** The formula with the numbers filled in, for tooltips and logs. */
    explanation: string;
}

/** KV-cache bytes for `contextSize` tokens (see docs/models.md). */
export function kvCacheBytes(arch: ArchitectureInfo, contextSize: number, kvBytesPerElement = 2): number {
    if (arch.kvLoraRank !== undefined) {
        // Multi-head latent attention: one compressed latent + the rotary key part per token and layer.
        return arch.layers * (arch.kvLoraRank + (arch.ropeHeadDim ?? 0)) * contextSize * kvBytesPerElement;
    }
    return 2 * arch.layers * arch.kvHeads * arch.headDim * contextSize * kvBytesPerElement;
}

/**
 * Memory to run `entry` with a context of `contextSize` tokens:
 *   weights  = the GGUF file size (all parts)
 *   kvCache  = 2 (K and V) × layers × kvHeads × headDim × contextSize × 2 bytes (f16)
 *              (latent attention: layers × (kvLoraRank + ropeHeadDim) × contextSize × 2)
 *   overhead = 512 MiB + batch × vocab × 4 (f32 logits) + batch × contextSize × heads × 4 (attention scores;
 *              0 with flash attention)
 */
export function estimateMemory(entry: CatalogEntry, contextSize: number, options: MemoryEstimateOptions = {}): MemoryEstimate {
    if (!(Number.isInteger(contextSize) && contextSize > 0)) throw new RangeError(`contextSize must be a positive integer, got ${contextSize}`);
    const arch = entry.model.architecture;
    const batch = Math.min(options.batchSize ?? 512, contextSize);
    const kvBytes = options.kvBytesPerElement ?? 2;
    const weightsBytes = entry.quantization.sizeBytes;
    const kv = kvCacheBytes(arch, contextSize, kvBytes);
    const logits = batch * arch.vocabSize * 4;
    const scores = options.flashAttention ? 0 : batch * contextSize * arch.attentionHeads * 4;
    const fixed = options.fixedOverheadBytes ?? 512 * MiB;
    const overheadBytes = fixed + logits + scores;
    const totalBytes = weightsBytes + kv + overheadBytes;
    const explanation =
        `weights ${formatBytes(weightsBytes)} + KV cache ${formatBytes(kv)} (${contextSize} tokens) + ` +
        `overhead ${formatBytes(overheadBytes)} = ${formatBytes(totalBytes)}`;
    return { contextSize, weightsBytes, kvCacheBytes: kv, overheadBytes, totalBytes, explanation };
}

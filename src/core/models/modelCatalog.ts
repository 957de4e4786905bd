// The model catalog (models/catalog.json): typed parsing and validation, a memory estimate per
// model × quantization, and the recommendation of what fits a machine. Pure: no Node built-ins, no
// vscode. Reading the JSON file is done by src/platform/catalogFile.ts. Formulas: docs/models.md.

export type SizePrecision = "exact" | "rounded" | "estimated";
export type ModelKind = "distill" | "full";

/** Known quantizations: nominal bits per weight, the range a real file may show, and a quality rank. */
export interface QuantInfo {
    /** Typical bits per weight of a whole file of this type (used for estimated sizes). */
    bitsPerWeight: number;
    /** A file of this type must come out between these (file bytes × 8 / parameters). */
    minBitsPerWeight: number;
    maxBitsPerWeight: number;
    /** Higher is closer to the original weights. */
    qualityRank: number;
}

export const QUANTS: Readonly<Record<string, QuantInfo>> = {
    "UD-IQ1_S": { bitsPerWeight: 1.67, minBitsPerWeight: 1.4, maxBitsPerWeight: 2.0, qualityRank: 1 },
    Q4_K_M: { bitsPerWeight: 4.89, minBitsPerWeight: 4.5, maxBitsPerWeight: 5.3, qualityRank: 4 },
    Q5_K_M: { bitsPerWeight: 5.7, minBitsPerWeight: 5.4, maxBitsPerWeight: 6.1, qualityRank: 5 },
    Q6_K: { bitsPerWeight: 6.56, minBitsPerWeight: 6.3, maxBitsPerWeight: 7.0, qualityRank: 6 },
    Q8_0: { bitsPerWeight: 8.5, minBitsPerWeight: 8.2, maxBitsPerWeight: 8.9, qualityRank: 8 }
};

/** The lowest quantization the recommendation will pick for a local model. */
export const MIN_RECOMMENDED_QUANT_RANK = QUANTS.Q4_K_M.qualityRank;

export interface CatalogFile {
    /** Path inside the Hugging Face repository (split files sit in a folder). */
    path: string;
    /** https://huggingface.co/<repo>/resolve/main/<path> */
    url: string;
    sizeBytes: number;
    /** exact: from the LFS pointer; rounded: from the page (3 significant digits); estimated: params × bits. */
    sizePrecision: SizePrecision;
    /** sha256 of the whole file, or null where no reliable source was found. */
    sha256: string | null;
    /** The page the size or checksum was read from (null for estimates). */
    source: string | null;
}

export interface CatalogQuantization {
    quant: string;
    /** Hugging Face repository, owner/name. */
    repo: string;
    /** One file, or every part of a split GGUF in order (…-00001-of-0000N.gguf first). */
    files: CatalogFile[];
    /** Sum of the files. */
    sizeBytes: number;
    /** True when any part's size is an estimate. */
    sizeEstimated: boolean;
    note?: string;
}

export interface ArchitectureInfo {
    /** general.architecture in the GGUF header (qwen2, llama, deepseek2). */
    ggufArchitecture: string;
    layers: number;
    hiddenSize: number;
    attentionHeads: number;
    kvHeads: number;
    headDim: number;
    vocabSize: number;
    feedForwardSize: number;
    /** Multi-head latent attention (DeepSeek V3/R1): the KV cache holds this compressed latent… */
    kvLoraRank?: number;
    /** …plus the rotary part of the key. */
    ropeHeadDim?: number;
    experts?: number;
    expertsUsed?: number;
}

export interface Benchmarks {
    aime2024Pass1: number | null;
    aime2024Cons64: number | null;
    math500Pass1: number | null;
    gpqaDiamondPass1: number | null;
    liveCodeBenchPass1: number | null;
    codeforcesRating: number | null;
    /** Where the figures come from. */
    source: string;
    note?: string;
}

export interface CatalogModel {
    id: string;
    name: string;
    kind: ModelKind;
    parameters: number;
    activeParameters?: number;
    baseModel: string;
    baseModelUrl: string;
    upstream: string;
    license: string;
    contextLength: number;
    architecture: ArchitectureInfo;
    /** True for the 671B models: they need vLLM, SGLang, a llama.cpp server, Ollama or the DeepSeek API. */
    requiresServingEngine: boolean;
    servingEngines?: string[];
    benchmarks: Benchmarks;
    quantizations: CatalogQuantization[];
}

export interface Catalog {
    schemaVersion: 1;
    description?: string;
    benchmarkColumns?: Record<string, string>;
    models: CatalogModel[];
}

/** One model at one quantization: what a user picks, downloads and loads. */
export interface CatalogEntry {
    /** `<model id>:<quant>`, e.g. `deepseek-r1-distill-qwen-7b:Q4_K_M`. */
    id: string;
    model: CatalogModel;
    quantization: CatalogQuantization;
}

export class CatalogError extends Error {
    constructor(readonly problems: string[]) {
        super(`The model catalog is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n- ${problems.join("\n- ")}`);
        this.name = "CatalogError";
    }
}

const SHA256 = /^[0-9a-f]{64}$/;
const REPO = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const PATH_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const MODEL_ID = /^[a-z0-9][a-z0-9.-]*$/;
const SPLIT = /-(\d{5})-of-(\d{5})\.gguf$/;

/** `…-00002-of-00009.gguf` → {index: 2, count: 9}; undefined for a single file. */
export function splitPartOf(fileName: string): { index: number; count: number } | undefined {
    const m = SPLIT.exec(fileName);
    return m ? { index: Number(m[1]), count: Number(m[2]) } : undefined;
}

/** The download URL of a file of a Hugging Face repository (main branch). */
export function huggingFaceUrl(repo: string, path: string): string {
    return `https://huggingface.co/${repo}/resolve/main/${path.split("/").map(encodeURIComponent).join("/")}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}
function isPositiveInt(v: unknown): v is number {
    return typeof v === "number" && Number.isSafeInteger(v) && v > 0;
}
function isHttpsUrl(v: unknown): boolean {
    if (typeof v !== "string") return false;
    try {
        return new URL(v).protocol === "https:";
    } catch {
        return false;
    }
}

/** Every problem with a catalog object; empty when it is valid. */
export function validateCatalog(json: unknown): string[] {
    const p: string[] = [];
    if (!isObject(json)) return ["the catalog is not a JSON object"];
    if (json.schemaVersion !== 1) p.push(`schemaVersion is ${JSON.stringify(json.schemaVersion)}, expected 1`);
    if (!Array.isArray(json.models) || json.models.length === 0) {
        p.push("models must be a non-empty array");
        return p;
    }
    const modelIds = new Set<string>();
    const urls = new Set<string>();
    json.models.forEach((m: unknown, mi: number) => {
        const where = isObject(m) && typeof m.id === "string" ? `model ${m.id}` : `models[${mi}]`;
        if (!isObject(m)) {
            p.push(`${where} is not an object`);
            return;
        }
        if (typeof m.id !== "string" || !MODEL_ID.test(m.id)) p.push(`${where}: id must be lower-case letters, digits, '.' and '-'`);
        else if (modelIds.has(m.id)) p.push(`${where}: duplicate id`);
        else modelIds.add(m.id);
        for (const key of ["name", "baseModel", "license"]) {
            if (typeof m[key] !== "string" || (m[key] as string).length === 0) p.push(`${where}: ${key} is missing`);
        }
        for (const key of ["baseModelUrl", "upstream"]) {
            if (!isHttpsUrl(m[key])) p.push(`${where}: ${key} must be an https URL`);
        }
        if (m.kind !== "distill" && m.kind !== "full") p.push(`${where}: kind must be "distill" or "full"`);
        if (typeof m.parameters !== "number" || !(m.parameters > 1e8)) p.push(`${where}: parameters must be a number of weights (e.g. 7.62e9)`);
        if (!isPositiveInt(m.contextLength)) p.push(`${where}: contextLength must be a positive integer`);
        if (typeof m.requiresServingEngine !== "boolean") p.push(`${where}: requiresServingEngine must be true or false`);
        else if (m.kind === "full" && !m.requiresServingEngine) p.push(`${where}: a full (671B) model must be marked requiresServingEngine`);
        const a = m.architecture;
        if (!isObject(a)) p.push(`${where}: architecture is missing`);
        else {
            if (typeof a.ggufArchitecture !== "string" || a.ggufArchitecture.length === 0) p.push(`${where}: architecture.ggufArchitecture is missing`);
            for (const key of ["layers", "hiddenSize", "attentionHeads", "kvHeads", "headDim", "vocabSize", "feedForwardSize"]) {
                if (!isPositiveInt(a[key])) p.push(`${where}: architecture.${key} must be a positive integer`);
            }
            for (const key of ["kvLoraRank", "ropeHeadDim", "experts", "expertsUsed"]) {
                if (a[key] !== undefined && !isPositiveInt(a[key])) p.push(`${where}: architecture.${key} must be a positive integer when given`);
            }
        }
        const b = m.benchmarks;
        if (!isObject(b)) p.push(`${where}: benchmarks are missing`);
        else {
            for (const key of ["aime2024Pass1", "aime2024Cons64", "math500Pass1", "gpqaDiamondPass1", "liveCodeBenchPass1"]) {
                const v = b[key];
                if (!(v === null || (typeof v === "number" && v >= 0 && v <= 100))) p.push(`${where}: benchmarks.${key} must be a percentage or null`);
            }
            const cf = b.codeforcesRating;
            if (!(cf === null || (typeof cf === "number" && cf > 0 && cf < 4000))) p.push(`${where}: benchmarks.codeforcesRating must be a rating or null`);
            if (!isHttpsUrl(b.source)) p.push(`${where}: benchmarks.source must be an https URL`);
        }
        if (!Array.isArray(m.quantizations) || m.quantizations.length === 0) {
            p.push(`${where}: quantizations must be a non-empty array`);
            return;
        }
        const quants = new Set<string>();
        m.quantizations.forEach((q: unknown, qi: number) => {
            const qwhere = isObject(q) && typeof q.quant === "string" ? `${where} ${q.quant}` : `${where} quantizations[${qi}]`;
            if (!isObject(q)) {
                p.push(`${qwhere} is not an object`);
                return;
            }
            const info = typeof q.quant === "string" ? QUANTS[q.quant] : undefined;
            if (!info) p.push(`${qwhere}: unknown quantization (known: ${Object.keys(QUANTS).join(", ")})`);
            if (typeof q.quant === "string") {
                if (quants.has(q.quant)) p.push(`${qwhere}: duplicate quantization`);
                quants.add(q.quant);
            }
            const repo = q.repo;
            if (typeof repo !== "string" || !REPO.test(repo)) p.push(`${qwhere}: repo must be "owner/name"`);
            if (!Array.isArray(q.files) || q.files.length === 0) {
                p.push(`${qwhere}: files must be a non-empty array`);
                return;
            }
            let sum = 0;
            let anyEstimated = false;
            q.files.forEach((f: unknown, fi: number) => {
                const fwhere = isObject(f) && typeof f.path === "string" ? `${qwhere} file ${f.path}` : `${qwhere} files[${fi}]`;
                if (!isObject(f)) {
                    p.push(`${fwhere} is not an object`);
                    return;
                }
                const path = f.path;
                if (typeof path !== "string" || !path.endsWith(".gguf") || !path.split("/").every((s) => PATH_SEGMENT.test(s))) {
                    p.push(`${fwhere}: path must be a relative .gguf path without '..'`);
                } else {
                    if (typeof repo === "string" && f.url !== huggingFaceUrl(repo, path)) {
                        p.push(`${fwhere}: url must be ${huggingFaceUrl(repo, path)}`);
                    }
                    const part = splitPartOf(path);
                    const count = (q.files as unknown[]).length;
                    if (count > 1 && (!part || part.index !== fi + 1 || part.count !== count)) {
                        p.push(`${fwhere}: part ${fi + 1} of ${count} must be named …-${String(fi + 1).padStart(5, "0")}-of-${String(count).padStart(5, "0")}.gguf`);
                    }
                    if (count === 1 && part && part.count !== 1) p.push(`${fwhere}: names part ${part.index} of ${part.count}, but only one file is listed`);
                }
                if (typeof f.url === "string") {
                    if (urls.has(f.url)) p.push(`${fwhere}: the same URL is listed twice`);
                    urls.add(f.url);
                }
                if (!isPositiveInt(f.sizeBytes)) p.push(`${fwhere}: sizeBytes must be a positive integer`);
                else sum += f.sizeBytes;
                if (f.sizePrecision !== "exact" && f.sizePrecision !== "rounded" && f.sizePrecision !== "estimated") {
                    p.push(`${fwhere}: sizePrecision must be exact, rounded or estimated`);
                }
                if (f.sizePrecision === "estimated") anyEstimated = true;
                if (!(f.sha256 === null || (typeof f.sha256 === "string" && SHA256.test(f.sha256)))) p.push(`${fwhere}: sha256 must be 64 lower-case hex digits or null`);
                if (!(f.source === null || isHttpsUrl(f.source))) p.push(`${fwhere}: source must be an https URL or null`);
                if (f.sizePrecision !== "estimated" && f.source === null) p.push(`${fwhere}: a size that is not estimated needs a source`);
                if (typeof f.sha256 === "string" && f.source === null) p.push(`${fwhere}: a checksum needs a source`);
            });
            if (q.sizeBytes !== sum) p.push(`${qwhere}: sizeBytes ${String(q.sizeBytes)} is not the sum of its files (${sum})`);
            if (q.sizeEstimated !== anyEstimated) p.push(`${qwhere}: sizeEstimated must be ${anyEstimated} (whether any file size is estimated)`);
            if (info && typeof m.parameters === "number" && m.parameters > 0 && sum > 0) {
                const bpw = (sum * 8) / m.parameters;
                if (bpw < info.minBitsPerWeight || bpw > info.maxBitsPerWeight) {
                    p.push(`${qwhere}: ${formatBytes(sum)} is ${bpw.toFixed(2)} bits per weight for ${formatParameters(m.parameters)} parameters; a ${String(q.quant)} file has ${info.minBitsPerWeight}–${info.maxBitsPerWeight}`);
                }
            }
        });
    });
    return p;
}

/** Parses and validates catalog JSON (already parsed with JSON.parse). Throws CatalogError listing every problem. */
export function parseCatalog(json: unknown): Catalog {
    const problems = validateCatalog(json);
    if (problems.length > 0) throw new CatalogError(problems);
    return json as Catalog;
}

/** Every model × quantization, in catalog order. */
export function catalogEntries(catalog: Catalog): CatalogEntry[] {
    return catalog.models.flatMap((model) => model.quantizations.map((quantization) => ({ id: `${model.id}:${quantization.quant}`, model, quantization })));
}

export function findEntry(catalog: Catalog, id: string): CatalogEntry | undefined {
    return catalogEntries(catalog).find((e) => e.id === id);
}

/** The entry (and which part) a downloaded file belongs to, by repository owner and file name. */
export function findEntryByFile(catalog: Catalog, fileName: string, publisher?: string): { entry: CatalogEntry; partIndex: number } | undefined {
    for (const entry of catalogEntries(catalog)) {
        if (publisher !== undefined && entry.quantization.repo.split("/")[0] !== publisher) continue;
        const partIndex = entry.quantization.files.findIndex((f) => f.path.split("/").pop() === fileName);
        if (partIndex >= 0) return { entry, partIndex };
    }
    return undefined;
}

// ---------------------------------------------------------------------------------------------
// Memory estimate

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

const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

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

// ---------------------------------------------------------------------------------------------
// Recommendation

export interface GpuInfo {
    vramBytes: number;
    freeVramBytes: number;
    /** "cuda", "vulkan", "metal", … ("cpu" entries are ignored). */
    backend: string;
}

export interface MachineInfo {
    gpus: GpuInfo[];
    ramBytes: number;
    freeRamBytes: number;
    /** Apple silicon: the GPU shares system memory. */
    unifiedMemory: boolean;
}

export type Fit = "fits" | "tight" | "too-big";
export type Target = "gpu" | "unified" | "cpu";

export interface MemoryBudget {
    target: Target;
    /** What the model may use at most. */
    availableBytes: number;
    /** Kept free on top of the estimate for a "fits" verdict. */
    headroomBytes: number;
    description: string;
}

export interface EntryEvaluation {
    entry: CatalogEntry;
    estimate: MemoryEstimate;
    target: Target;
    fit: Fit;
    /** Why this entry is never recommended here, whatever its fit (needs a serving engine, too slow on CPU). */
    excluded?: string;
    /** One line for a quick pick: "fits: 6.0 GB of 23.4 GB free on the GPU". */
    detail: string;
}

export interface RecommendOptions {
    /** Context the model will be used with (default 8192, the r1.contextSize default). */
    contextSize?: number;
    /** On CPU every token reads all weights: files above this are too slow to reason with (default 6 GB). */
    cpuMaxWeightBytes?: number;
    estimate?: MemoryEstimateOptions;
}

export interface Recommendation {
    choice: EntryEvaluation | null;
    budget: MemoryBudget;
    /** Plain-language why, for the walkthrough and the quick pick. */
    reason: string;
    /** Every entry judged against the chosen budget (GPU, unified or CPU), in catalog order. */
    evaluations: EntryEvaluation[];
}

export const DEFAULT_CONTEXT_SIZE = 8192;
export const DEFAULT_CPU_MAX_WEIGHT_BYTES = 6e9;

/** The memory the model may use on each kind of target (see docs/models.md for the rule). */
export function memoryBudgets(machine: MachineInfo): { gpu?: MemoryBudget; unified?: MemoryBudget; cpu: MemoryBudget } {
    const gpus = machine.gpus.filter((g) => g.backend !== "cpu" && g.vramBytes > 0);
    const cpu: MemoryBudget = {
        target: "cpu",
        availableBytes: Math.max(0, machine.freeRamBytes),
        headroomBytes: Math.max(GiB, 0.1 * machine.ramBytes),
        description: `${formatBytes(machine.freeRamBytes)} free of ${formatBytes(machine.ramBytes)} RAM`
    };
    if (machine.unifiedMemory) {
        // The GPU may use about 2/3 of unified memory (3/4 above 36 GiB): macOS's working-set limit.
        const cap = machine.ramBytes * (machine.ramBytes > 36 * GiB ? 0.75 : 2 / 3);
        const reported = gpus.reduce((a, g) => a + g.freeVramBytes, 0);
        const availableBytes = gpus.length > 0 ? Math.min(cap, reported) : cap;
        return {
            cpu,
            unified: {
                target: "unified",
                availableBytes,
                headroomBytes: Math.max(GiB, 0.1 * machine.ramBytes),
                description: `${formatBytes(availableBytes)} of ${formatBytes(machine.ramBytes)} unified memory usable by the GPU`
            }
        };
    }
    if (gpus.length === 0) return { cpu };
    const free = gpus.reduce((a, g) => a + g.freeVramBytes, 0);
    const total = gpus.reduce((a, g) => a + g.vramBytes, 0);
    return {
        cpu,
        gpu: {
            target: "gpu",
            availableBytes: free,
            headroomBytes: gpus.reduce((a, g) => a + Math.max(512 * MiB, 0.05 * g.vramBytes), 0),
            description: `${formatBytes(free)} free of ${formatBytes(total)} VRAM` + (gpus.length > 1 ? ` on ${gpus.length} GPUs` : ` (${gpus[0].backend})`)
        }
    };
}

export function judgeFit(totalBytes: number, budget: MemoryBudget): Fit {
    if (totalBytes + budget.headroomBytes <= budget.availableBytes) return "fits";
    if (totalBytes <= budget.availableBytes) return "tight";
    return "too-big";
}

const TARGET_WORDS: Record<Target, string> = { gpu: "on the GPU", unified: "in unified memory", cpu: "in RAM" };

/** Judges every entry against one budget. */
export function evaluateEntries(entries: CatalogEntry[], budget: MemoryBudget, options: RecommendOptions = {}): EntryEvaluation[] {
    const contextSize = options.contextSize ?? DEFAULT_CONTEXT_SIZE;
    const cpuMax = options.cpuMaxWeightBytes ?? DEFAULT_CPU_MAX_WEIGHT_BYTES;
    return entries.map((entry) => {
        const estimate = estimateMemory(entry, contextSize, options.estimate);
        const fit = judgeFit(estimate.totalBytes, budget);
        let excluded: string | undefined;
        if (entry.model.requiresServingEngine) {
            excluded = `${entry.model.name} (${formatParameters(entry.model.parameters)} parameters) needs a serving engine: ${(entry.model.servingEngines ?? ["vLLM", "SGLang", "llama.cpp server"]).join(", ")}`;
        } else if ((QUANTS[entry.quantization.quant]?.qualityRank ?? 0) < MIN_RECOMMENDED_QUANT_RANK) {
            excluded = `${entry.quantization.quant} loses too much quality; Q4_K_M is the lowest recommended`;
        } else if (budget.target === "cpu" && entry.quantization.sizeBytes > cpuMax) {
            excluded = `too slow on a CPU: each token reads all ${formatBytes(entry.quantization.sizeBytes)} of weights (limit ${formatBytes(cpuMax)})`;
        }
        const word = fit === "fits" ? "fits" : fit === "tight" ? "tight" : "too big";
        const detail = `${word}: needs about ${formatBytes(estimate.totalBytes)} ${TARGET_WORDS[budget.target]}, ${formatBytes(budget.availableBytes)} available`;
        return { entry, estimate, target: budget.target, fit, excluded, detail };
    });
}

/** Model preference: best LiveCodeBench score (this is a coding assistant), then more parameters. */
function modelScore(m: CatalogModel): number {
    return (m.benchmarks.liveCodeBenchPass1 ?? 0) * 1e3 + m.parameters / 1e9;
}

function pick(evaluations: EntryEvaluation[]): EntryEvaluation | null {
    const candidates = evaluations.filter((e) => e.fit === "fits" && e.excluded === undefined);
    candidates.sort((a, b) =>
        modelScore(b.entry.model) - modelScore(a.entry.model) ||
        (QUANTS[b.entry.quantization.quant]?.qualityRank ?? 0) - (QUANTS[a.entry.quantization.quant]?.qualityRank ?? 0));
    return candidates[0] ?? null;
}

/**
 * The best distill × quantization that fits with headroom: the GPU (or unified memory) first, else RAM,
 * where only files up to `cpuMaxWeightBytes` count. Among what fits: the model with the best LiveCodeBench
 * score (so a larger model at Q4_K_M beats a smaller one at Q8_0), then its highest quantization.
 */
export function recommend(entries: CatalogEntry[], machine: MachineInfo, options: RecommendOptions = {}): Recommendation {
    const contextSize = options.contextSize ?? DEFAULT_CONTEXT_SIZE;
    const budgets = memoryBudgets(machine);
    const accel = budgets.unified ?? budgets.gpu;
    const ctx = `context of ${contextSize.toLocaleString("en-US")} tokens`;
    if (accel) {
        const evaluations = evaluateEntries(entries, accel, options);
        const choice = pick(evaluations);
        if (choice) {
            const better = evaluations.filter((e) => e.excluded === undefined && modelScore(e.entry.model) > modelScore(choice.entry.model));
            const why = better.length > 0
                ? ` Larger models do not fit with headroom (${uniqueNames(better).join(", ")}).`
                : " It is the strongest distill in the catalog.";
            return {
                choice,
                budget: accel,
                evaluations,
                reason: `${describe(choice)} fits ${TARGET_WORDS[accel.target]}: about ${formatBytes(choice.estimate.totalBytes)} with a ${ctx}, ` +
                    `${accel.description}, keeping ${formatBytes(accel.headroomBytes)} free.${why}`
            };
        }
    }
    const evaluations = evaluateEntries(entries, budgets.cpu, options);
    const choice = pick(evaluations);
    const gpuNote = accel ? `Nothing fits ${TARGET_WORDS[accel.target]} (${accel.description}), so it runs on the CPU. ` : "No GPU was found, so it runs on the CPU. ";
    if (!choice) {
        return {
            choice: null,
            budget: budgets.cpu,
            evaluations,
            reason: `${gpuNote}Not even the smallest model fits in ${budgets.cpu.description} with a ${ctx} and ${formatBytes(budgets.cpu.headroomBytes)} to spare. ` +
                "Close other programs, lower r1.contextSize, or use a machine with more memory."
        };
    }
    return {
        choice,
        budget: budgets.cpu,
        evaluations,
        reason: `${gpuNote}${describe(choice)} needs about ${formatBytes(choice.estimate.totalBytes)} with a ${ctx} (${budgets.cpu.description}). ` +
            `On a CPU every token reads all the weights, so files above ${formatBytes(options.cpuMaxWeightBytes ?? DEFAULT_CPU_MAX_WEIGHT_BYTES)} are left out as too slow for long reasoning.`
    };
}

function describe(e: EntryEvaluation): string {
    return `${e.entry.model.name} ${e.entry.quantization.quant} (${formatBytes(e.entry.quantization.sizeBytes)} download)`;
}
function uniqueNames(evaluations: EntryEvaluation[]): string[] {
    return [...new Set(evaluations.map((e) => e.entry.model.name))];
}

/** Decimal units, as Hugging Face shows them: 4.68 GB. */
export function formatBytes(n: number): string {
    const units = ["B", "kB", "MB", "GB", "TB"];
    let v = n;
    let u = 0;
    while (Math.abs(v) >= 1000 && u < units.length - 1) {
        v /= 1000;
        u++;
    }
    return `${u === 0 ? String(Math.round(v)) : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[u]}`;
}

/** 7.62e9 → "7.6B"; 671e9 → "671B". */
export function formatParameters(n: number): string {
    const b = n / 1e9;
    return `${b >= 100 ? b.toFixed(0) : b.toFixed(1).replace(/\.0$/, "")}B`;
}

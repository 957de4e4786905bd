// The model catalog (models/catalog.json): its schema, typed parsing and validation, and finding entries in it.
// Pure: no Node built-ins, no vscode. Reading the JSON file is done by src/platform/catalogFile.ts. What a model
// needs in memory: memoryEstimate.ts; what to recommend for a machine: modelRecommendation.ts.

import { formatBytes } from "./byteSize";

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

/** 7.62e9 → "7.6B"; 671e9 → "671B". */
export function formatParameters(n: number): string {
    const b = n / 1e9;
    return `${b >= 100 ? b.toFixed(0) : b.toFixed(1).replace(/\.0$/, "")}B`;
}

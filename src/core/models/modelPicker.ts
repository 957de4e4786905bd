// What "R1: Select Model" shows, as plain data: downloaded models first, then the saved remote engines, then the
// catalog grouped by model (size, memory needed at the configured context, whether it fits this machine, benchmark
// figures), the recommended entry marked, the 671B models leading to the remote-engine flow with their served name
// filled in, then "Use a remote engine…" and "Use a GGUF file on disk…". Pure: the feature
// (src/features/models/selectModel.ts) turns these items into a vscode QuickPick.
import type { MachineReport } from "../../shared/lspProtocol";
import { formatBytes } from "./byteSize";
import { estimateMemory } from "./memoryEstimate";
import { type CatalogEntry, formatParameters } from "./modelCatalog";
import { type EntryEvaluation, type MachineInfo, type MemoryBudget, memoryBudgets, type Recommendation, recommend } from "./modelRecommendation";
import type { ActiveEngine, RemoteEndpoint } from "../engines/remoteEndpoint";
import { servedModelName } from "../engines/remoteModelMatch";

// ---------------------------------------------------------------------------------------------
// The machine

/**
 * The machine as llama.cpp measured it in the model process. The VRAM the loaded model occupies is counted
 * as free (`reclaimableVramBytes`): switching models unloads it first. Several GPUs share the reported
 * totals evenly (llama.cpp reports the sum).
 */
export function machineFromReport(report: MachineReport, reclaimableVramBytes = 0): MachineInfo {
    const base = { ramBytes: report.ramBytes, freeRamBytes: report.freeRamBytes, unifiedMemory: report.unifiedMemory };
    if (report.backend === "cpu" || report.vramBytes <= 0) return { ...base, gpus: [] };
    const n = Math.max(1, report.gpuNames.length);
    const free = Math.min(report.vramBytes, report.freeVramBytes + Math.max(0, reclaimableVramBytes));
    return { ...base, gpus: Array.from({ length: n }, () => ({ vramBytes: report.vramBytes / n, freeVramBytes: free / n, backend: report.backend })) };
}

/** When the model process cannot tell: the OS's RAM figures, no GPU (Apple silicon: unified memory). */
export function machineFromOs(os: { totalmem: number; freemem: number; platform: string; arch: string }): MachineInfo {
    return { gpus: [], ramBytes: os.totalmem, freeRamBytes: os.freemem, unifiedMemory: os.platform === "darwin" && os.arch === "arm64" };
}

/** The VRAM a loaded model holds: its weights' share on the GPU (the KV cache is not counted: conservative). */
export function loadedModelVramBytes(loaded: { sizeBytes: number; gpuLayers: number; totalLayers: number; backend: string } | undefined): number {
    if (!loaded || loaded.backend === "cpu" || loaded.totalLayers <= 0) return 0;
    return loaded.sizeBytes * Math.min(1, Math.max(0, loaded.gpuLayers / loaded.totalLayers));
}

// ---------------------------------------------------------------------------------------------
// Fit of one entry on this machine

export type PickerFit = "fits" | "tight" | "partial-offload" | "too-big" | "serving-engine";

export interface EntryFit {
    fit: PickerFit;
    /** Memory needed at the configured context. */
    needBytes: number;
    /** Short words for the description: "fits the GPU", "too big for 7.8 GB RAM". */
    text: string;
    /** The formula with numbers, for logs and confirmations. */
    explanation: string;
    /** A reason the recommendation skips it (too slow on a CPU, below Q4_K_M, serving engine). */
    caveat?: string;
}

const FITS_TEXT: Record<MemoryBudget["target"], string> = { gpu: "fits the GPU", unified: "fits in unified memory", cpu: "fits in RAM (CPU)" };
const FREE_TEXT: Record<MemoryBudget["target"], string> = { gpu: "free on the GPU", unified: "of unified memory for the GPU", cpu: "of RAM free" };

/**
 * Whether `entry` runs here at `contextSize`: on the GPU (or unified memory) when there is one, with a
 * "partial-offload" verdict when it fits only with part of the layers on the CPU (llama.cpp does that,
 * slower); else in RAM. `evaluation` is the recommendation's verdict for the same entry (its caveat).
 */
export function judgeEntry(entry: CatalogEntry, machine: MachineInfo, contextSize: number, evaluation?: EntryEvaluation): EntryFit {
    const estimate = estimateMemory(entry, contextSize);
    const needBytes = estimate.totalBytes;
    const verdict = (fit: PickerFit, text: string): EntryFit => ({ fit, needBytes, text, explanation: estimate.explanation, caveat: evaluation?.excluded });
    if (entry.model.requiresServingEngine) return verdict("serving-engine", "needs a serving engine");
    const budgets = memoryBudgets(machine);
    const accel = budgets.unified ?? budgets.gpu;
    const budget = accel ?? budgets.cpu;
    const free = `${formatBytes(budget.availableBytes)} ${FREE_TEXT[budget.target]}`;
    if (needBytes + budget.headroomBytes <= budget.availableBytes) return verdict("fits", FITS_TEXT[budget.target]);
    if (needBytes <= budget.availableBytes) return verdict("tight", `tight: ${free}`);
    if (!accel) return verdict("too-big", `too big: ${free}`);
    // Part of the layers on the GPU, the rest in RAM: unified memory is one pool, so only free RAM counts there.
    const pool = accel.target === "unified" ? budgets.cpu.availableBytes : accel.availableBytes + budgets.cpu.availableBytes;
    if (needBytes + budgets.cpu.headroomBytes <= pool) return verdict("partial-offload", `partly on the CPU (slower): ${free}`);
    return verdict("too-big", accel.target === "unified" ? `too big: ${formatBytes(pool)} of RAM free` : `too big: ${formatBytes(pool)} free on the GPU and in RAM`);
}

// ---------------------------------------------------------------------------------------------
// The items

/** What the store found on disk (structurally src/platform/modelStore.ts's StoredModel). */
export interface StoredModelInfo {
    path: string;
    name: string;
    sizeBytes: number;
    partialBytes: number;
    complete: boolean;
    missingParts: number[];
    entry: CatalogEntry | null;
}

export type PickerAction =
    /** Load this file (downloaded, or the configured file outside the models folder). */
    | { kind: "use-file"; path: string; entryId: string | null }
    /** Download (or resume) this catalog entry, then load it. */
    | { kind: "download"; entryId: string }
    /** A 671B model: runs only on a serving engine, so it leads to the remote-engine flow with `model` filled in. */
    | { kind: "serving-engine"; entryId: string; model: string }
    /** Make this saved remote engine the active one. */
    | { kind: "use-remote"; endpointId: string }
    /** "Use a remote engine…": base URL, model, API key. */
    | { kind: "add-remote" }
    /** A download of this entry is running: say so. */
    | { kind: "downloading"; entryId: string }
    | { kind: "browse" }
    | { kind: "manage" };

export interface PickerItem {
    /** "separator" items only carry a label. */
    kind: "separator" | "item";
    label: string;
    description?: string;
    detail?: string;
    action?: PickerAction;
    recommended?: boolean;
    active?: boolean;
    fit?: PickerFit;
}

export interface PickerInput {
    entries: CatalogEntry[];
    machine: MachineInfo;
    /** One line about the machine and how it was measured, for the title. */
    machineSummary: string;
    stored: StoredModelInfo[];
    /** r1.modelPath ("" when none). */
    activeModelPath: string;
    /** Size of the active model file when it is outside the models folder (null: not found). */
    activeModelSizeBytes?: number | null;
    /** Catalog ids being downloaded right now. */
    downloading?: string[];
    contextSize: number;
    /** Saved remote engines (globalState), most recent first. */
    endpoints?: RemoteEndpoint[];
    /** "local" or the id of the active endpoint (a local file is "active" only while the local engine is). */
    activeEngine?: ActiveEngine;
}

export interface PickerModel {
    items: PickerItem[];
    recommendation: Recommendation;
    /** The recommended item (preselected), if any. */
    recommendedIndex: number;
    title: string;
    placeholder: string;
}

const FIT_ICON: Record<PickerFit, string> = {
    fits: "$(pass)",
    tight: "$(warning)",
    "partial-offload": "$(warning)",
    "too-big": "$(error)",
    "serving-engine": "$(cloud)"
};

/** "DeepSeek-R1-Distill-Qwen-7B" → "Qwen-7B"; other names unchanged. */
export function shortModelName(name: string): string {
    return name.replace(/^DeepSeek-R1-Distill-/, "");
}

export function entryLabel(entry: CatalogEntry): string {
    return `${shortModelName(entry.model.name)} ${entry.quantization.quant}`;
}

/** "LiveCodeBench 37.6 · AIME 2024 55.5 · Codeforces 1189" (missing figures left out). */
export function benchmarkLine(entry: CatalogEntry): string {
    const b = entry.model.benchmarks;
    const parts: string[] = [];
    if (b.liveCodeBenchPass1 !== null) parts.push(`LiveCodeBench ${b.liveCodeBenchPass1}`);
    if (b.aime2024Pass1 !== null) parts.push(`AIME 2024 ${b.aime2024Pass1}`);
    else if (b.aime2024Cons64 !== null) parts.push(`AIME 2024 ${b.aime2024Cons64} (cons@64)`);
    if (b.codeforcesRating !== null) parts.push(`Codeforces ${b.codeforcesRating}`);
    return parts.join(" · ");
}

function samePath(a: string, b: string): boolean {
    return a !== "" && a.replace(/\\/g, "/") === b.replace(/\\/g, "/");
}

function baseName(p: string): string {
    return p.split(/[\\/]/).pop() ?? p;
}

/** Builds the items of the model picker. */
export function buildModelPicker(input: PickerInput): PickerModel {
    const { entries, machine, contextSize } = input;
    const recommendation = recommend(entries, machine, { contextSize });
    const recommendedId = recommendation.choice?.entry.id;
    const evaluationOf = new Map(recommendation.evaluations.map((e) => [e.entry.id, e]));
    const fitOf = (e: CatalogEntry) => judgeEntry(e, machine, contextSize, evaluationOf.get(e.id));
    const downloading = new Set(input.downloading ?? []);
    const ctx = `${contextSize.toLocaleString("en-US")} tokens`;
    const items: PickerItem[] = [];
    const endpoints = input.endpoints ?? [];
    const remoteActive = endpoints.some((e) => e.id === input.activeEngine);

    // Downloaded: complete models in the store, and the configured file wherever it is.
    const complete = input.stored.filter((s) => s.complete);
    const downloadedIds = new Set(complete.flatMap((s) => (s.entry ? [s.entry.id] : [])));
    const activeInStore = complete.some((s) => samePath(s.path, input.activeModelPath));
    const downloadedItems: PickerItem[] = [];
    for (const s of complete) {
        const active = !remoteActive && samePath(s.path, input.activeModelPath);
        const parts = [formatBytes(s.sizeBytes)];
        let fit: EntryFit | undefined;
        if (s.entry) {
            fit = fitOf(s.entry);
            parts.push(`needs ~${formatBytes(fit.needBytes)}`, fit.text);
        }
        if (active) parts.unshift("active");
        const recommended = s.entry !== null && s.entry.id === recommendedId;
        if (recommended) parts.unshift("recommended");
        downloadedItems.push({
            kind: "item",
            label: `${recommended ? "$(star-full)" : fit ? FIT_ICON[fit.fit] : "$(file)"} ${s.entry ? entryLabel(s.entry) : s.name}`,
            description: parts.join(" · "),
            detail: s.entry ? `${benchmarkLine(s.entry)} · ${s.path}` : s.path,
            action: { kind: "use-file", path: s.path, entryId: s.entry?.id ?? null },
            recommended,
            active,
            fit: fit?.fit
        });
    }
    if (input.activeModelPath && !activeInStore) {
        const size = input.activeModelSizeBytes;
        downloadedItems.unshift({
            kind: "item",
            label: `$(file) ${baseName(input.activeModelPath)}`,
            description: [remoteActive ? undefined : "active", size === null ? "file not found" : size !== undefined ? formatBytes(size) : undefined].filter((x) => x).join(" · "),
            detail: input.activeModelPath,
            action: { kind: "use-file", path: input.activeModelPath, entryId: null },
            active: !remoteActive
        });
    }
    if (downloadedItems.length > 0) items.push({ kind: "separator", label: "Downloaded" }, ...downloadedItems);
    items.push(...remoteEngineItems(endpoints, input.activeEngine));

    // The catalog, one group per model, skipping what is already downloaded.
    const partialOf = new Map(input.stored.filter((s) => !s.complete && s.entry).map((s) => [s.entry!.id, s]));
    let lastModel = "";
    for (const entry of entries) {
        if (downloadedIds.has(entry.id)) continue;
        const fit = fitOf(entry);
        const m = entry.model;
        if (m.id !== lastModel) {
            lastModel = m.id;
            // Short: VS Code draws a separator's label over the first item's row when items have details.
            const tail = m.requiresServingEngine ? "serving engine only" : m.baseModel.replace(/-Instruct$/, "");
            items.push({ kind: "separator", label: `${shortModelName(m.name)} · ${formatParameters(m.parameters)} · ${tail}` });
        }
        const recommended = entry.id === recommendedId;
        const size = `${formatBytes(entry.quantization.sizeBytes)}${entry.quantization.sizeEstimated ? " (size estimated)" : ""}`;
        if (m.requiresServingEngine) {
            const engines = (m.servingEngines ?? ["vLLM", "SGLang", "llama.cpp server"]).join(", ");
            items.push({
                kind: "item",
                label: `${FIT_ICON["serving-engine"]} ${entryLabel(entry)}`,
                description: `${size} · needs ~${formatBytes(fit.needBytes)} · needs a serving engine`,
                detail: `${benchmarkLine(entry)} · ${formatParameters(m.parameters)} parameters: runs in ${engines}; choose to connect to one`,
                action: { kind: "serving-engine", entryId: entry.id, model: servedModelName(m) },
                fit: "serving-engine"
            });
            continue;
        }
        const partial = partialOf.get(entry.id);
        const state = downloading.has(entry.id)
            ? "downloading…"
            : partial
                ? `partly downloaded (${formatBytes(partial.sizeBytes + partial.partialBytes)} of ${formatBytes(entry.quantization.sizeBytes)}), resumes`
                : `${formatBytes(entry.quantization.sizeBytes)} download${entry.quantization.sizeEstimated ? " (size estimated)" : ""}`;
        const parts = [state, `needs ~${formatBytes(fit.needBytes)}`, fit.text];
        if (recommended) parts.unshift("recommended");
        // The reason before its explanation: "too slow on a CPU", "loses too much quality".
        const caveat = fit.caveat && fit.fit !== "too-big" ? ` · ${fit.caveat.split(/[:;]/)[0]}` : "";
        items.push({
            kind: "item",
            label: `${recommended ? "$(star-full)" : FIT_ICON[fit.fit]} ${entryLabel(entry)}`,
            description: parts.join(" · "),
            detail: `${benchmarkLine(entry)}${caveat}`,
            action: downloading.has(entry.id) ? { kind: "downloading", entryId: entry.id } : { kind: "download", entryId: entry.id },
            recommended,
            fit: fit.fit
        });
    }

    items.push({ kind: "separator", label: "Other" }, addRemoteItem);
    items.push({ kind: "item", label: "$(folder-opened) Use a GGUF file on disk…", detail: "A DeepSeek-R1 distill (qwen2 or llama architecture) you already have", action: { kind: "browse" } });
    if (input.stored.length > 0) items.push({ kind: "item", label: "$(gear) Manage downloaded models…", action: { kind: "manage" } });

    const choice = recommendation.choice;
    const placeholder = choice
        ? `Recommended: ${entryLabel(choice.entry)} (needs ~${formatBytes(choice.estimate.totalBytes)} at ${ctx}). Type to filter.`
        : `Nothing in the catalog fits this machine at ${ctx}: lower r1.contextSize or use a smaller file.`;
    return {
        items,
        recommendation,
        recommendedIndex: items.findIndex((i) => i.recommended),
        title: `Select Model · ${input.machineSummary}`,
        placeholder
    };
}

/** The saved remote engines (the active one marked) under their separator; nothing when none is saved. */
export function remoteEngineItems(endpoints: readonly RemoteEndpoint[], activeEngine: ActiveEngine | undefined): PickerItem[] {
    if (endpoints.length === 0) return [];
    const items: PickerItem[] = [{ kind: "separator", label: "Remote engines" }];
    for (const e of endpoints) {
        const active = e.id === activeEngine;
        items.push({
            kind: "item",
            label: `$(cloud) ${e.label}`,
            description: active ? "active" : undefined,
            detail: e.baseUrl,
            action: { kind: "use-remote", endpointId: e.id },
            active
        });
    }
    return items;
}

export const addRemoteItem: PickerItem = {
    kind: "item",
    label: "$(plug) Use a remote engine…",
    detail: "An OpenAI-compatible server: vLLM, SGLang, llama.cpp server, Ollama, LM Studio or the DeepSeek API",
    action: { kind: "add-remote" }
};

/** One short line about the machine for the picker's title (the full reason of a fallback goes to the log). */
export function machineSummary(report: MachineReport | undefined, machine: MachineInfo): string {
    const ram = `${formatBytes(machine.freeRamBytes)} of ${formatBytes(machine.ramBytes)} RAM free`;
    if (!report || report.error) return `GPU not measured: ${ram}`;
    if (report.backend === "cpu" || report.vramBytes <= 0) return `CPU only: ${ram}`;
    const names = report.gpuNames.length > 0 ? [...new Set(report.gpuNames)].join(", ") : report.backend;
    if (report.unifiedMemory) return `${names}: ${formatBytes(report.vramBytes)} for the GPU, ${ram}`;
    return `${names}: ${formatBytes(report.freeVramBytes)} of ${formatBytes(report.vramBytes)} VRAM free`;
}

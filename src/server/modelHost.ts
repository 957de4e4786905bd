// One Llama, one loaded model, one context sequence, in this process. Loads on first use, unloads after an
// idle time, frees the old model when the model changes, and runs requests one at a time (a FIFO queue), so
// no request can corrupt another and consecutive requests reuse the evaluated prefix in the KV cache.
import { availableParallelism, freemem, totalmem } from "node:os";
import { basename } from "node:path";
import type { ChatWrapper, Llama, LlamaContext, LlamaContextSequence, LlamaModel } from "node-llama-cpp" with { "resolution-mode": "import" };
import { ErrorCodes, type EngineInfo, type EngineSettings, type MachineReport, type ModelInfo, type ProcessResources, type ServerState, type ServerStatus } from "../shared/lspProtocol";
import { createAnswerPredictor, type AnswerPhasePredictor } from "./answerPredictor";
import { createForcedThinkWrapper } from "./forcedThinkWrapper";
import { IdleCollector } from "./idleCollector";
import { getRuntime, LlamaLogBuffer, LlamaRuntimeError, loadNodeLlamaCpp } from "./llamaRuntime";
import { ModelError } from "./modelErrors";
import { chooseThreads, type ThreadChoice } from "../core/models/threadChoice";
import { busyCores } from "./cpuLoad";
import { checkModelFile, type CheckedModelFile } from "./modelFile";

export interface LoadedModel {
    readonly model: LlamaModel;
    readonly context: LlamaContext;
    readonly sequence: LlamaContextSequence;
    /** The sequence's token predictor (answer phase only); undefined when r1.tokenPrediction is off. */
    readonly predictor?: AnswerPhasePredictor;
    readonly chatWrapper: ChatWrapper;
    /** True when the wrapper is node-llama-cpp's DeepSeekChatWrapper: thoughts are segmented. */
    readonly reasoning: boolean;
    readonly info: ModelInfo;
    readonly engine: EngineInfo;
}

export interface ModelHostEvents {
    log(level: "info" | "warn" | "error", message: string): void;
    statusChanged(status: ServerStatus): void;
}

export const defaultEngineSettings: EngineSettings = { gpu: "auto", contextSize: 8192, threads: 0, idleUnloadMinutes: 30, tokenPrediction: true };

/** Threads for inference: the setting, else the cores useful for math that other work leaves idle (threadChoice). */
export function resolveThreads(requested: number, llama?: Llama, busy?: number): ThreadChoice {
    return chooseThreads({ requested, cores: availableParallelism(), mathCores: llama?.cpuMathCores ?? 0, ...(busy !== undefined ? { busyCores: busy } : {}) });
}

export class ModelHost {
    private settings: EngineSettings = { ...defaultEngineSettings };
    private loaded: LoadedModel | undefined;
    /** The model being loaded (for the status); loads run one at a time in the queue. */
    private loadingPath: string | undefined;
    private queue: Promise<unknown> = Promise.resolve();
    private active = 0;
    private generating = false;
    private lastError: string | undefined;
    private idleTimer: NodeJS.Timeout | undefined;
    private readonly collector = new IdleCollector();
    readonly llamaLogs = new LlamaLogBuffer();

    constructor(private readonly events: ModelHostEvents) {}

    get current(): LoadedModel | undefined {
        return this.loaded;
    }

    /** Applies engine settings. A changed context size or thread count reloads the model on its next use. */
    async configure(settings: EngineSettings): Promise<void> {
        const before = this.settings;
        this.settings = { ...settings };
        if (this.loaded && (before.contextSize !== settings.contextSize || before.threads !== settings.threads)) {
            this.events.log("info", "Context size or threads changed: the model reloads on its next use.");
            await this.enqueue(() => this.unloadNow());
        } else if (this.loaded && (before.tokenPrediction ?? true) !== (settings.tokenPrediction ?? true)) {
            // The predictor is bound to the sequence: a new sequence (same context, no reload; the KV prefix is lost).
            await this.enqueue(() => this.replaceSequence());
        }
        this.armIdleTimer();
    }

    status(): ServerStatus {
        let state: ServerState = "idle";
        if (this.loadingPath) state = "loading";
        else if (this.generating) state = "generating";
        else if (this.loaded) state = "ready";
        else if (this.lastError) state = "error";
        return {
            state,
            model: this.loaded?.info,
            engine: this.loaded?.engine,
            error: this.lastError,
            activeRequests: this.active,
            rssBytes: process.memoryUsage.rss(),
            pid: process.pid,
            settings: { ...this.settings },
            resources: this.resources()
        };
    }

    private resources(): ProcessResources {
        const active: Record<string, number> = {};
        for (const type of process.getActiveResourcesInfo()) active[type] = (active[type] ?? 0) + 1;
        const context = this.loaded?.context;
        const { heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
        return { active, sequencesInUse: context ? context.totalSequences - context.sequencesLeft : 0, memory: { heapTotal, heapUsed, external, arrayBuffers, idleCollection: this.collector.state() } };
    }

    /** GPU, VRAM and RAM as llama.cpp sees them, for choosing a model that fits. */
    async machineInfo(): Promise<MachineReport> {
        const fallback: MachineReport = {
            backend: "cpu",
            gpuNames: [],
            vramBytes: 0,
            freeVramBytes: 0,
            unifiedMemory: false,
            ramBytes: totalmem(),
            freeRamBytes: freemem(),
            cpuCores: availableParallelism()
        };
        let llama: Llama;
        try {
            llama = await getRuntime(this.settings.gpu, this.llamaLogs, () => undefined);
        } catch (error) {
            return { ...fallback, error: error instanceof Error ? error.message : String(error) };
        }
        const ram = await llama.getRamState().catch(() => undefined);
        const report: MachineReport = { ...fallback, ramBytes: ram?.total ?? fallback.ramBytes, freeRamBytes: ram?.free ?? fallback.freeRamBytes, cpuCores: resolveThreads(0, llama).threads };
        if (llama.gpu === false) return report;
        const gpuReport: MachineReport = { ...report, backend: llama.gpu, gpuNames: await llama.getGpuDeviceNames().catch(() => []) };
        try {
            const vram = await llama.getVramState();
            return { ...gpuReport, vramBytes: vram.total, freeVramBytes: vram.free, unifiedMemory: vram.unifiedSize > 0 };
        } catch (error) {
            // The GPU is there but its memory could not be read: the picker falls back to RAM ("GPU not measured").
            const message = `reading the GPU memory failed: ${error instanceof Error ? error.message : String(error)}`;
            this.events.log("warn", message);
            return { ...gpuReport, error: message };
        }
    }

    /** Runs `job` when every earlier request has finished, with `modelPath` loaded. */
    run<T>(modelPath: string, job: (model: LoadedModel) => Promise<T>, onLoading?: (name: string) => void): Promise<T> {
        this.active++;
        this.collector.busy();
        this.emitStatus();
        return this.enqueue(async () => {
            try {
                const model = await this.ensureLoaded(modelPath, onLoading);
                this.generating = true;
                this.emitStatus();
                return await job(model);
            } finally {
                this.generating = false;
                this.active--;
                if (this.active === 0) this.collector.idle();
                this.armIdleTimer();
                this.emitStatus();
            }
        });
    }

    /** Loads `modelPath` (waiting for running requests), replacing any other model. */
    load(modelPath: string): Promise<LoadedModel> {
        return this.enqueue(() => this.ensureLoaded(modelPath));
    }

    unload(): Promise<void> {
        return this.enqueue(() => this.unloadNow());
    }

    async dispose(): Promise<void> {
        clearTimeout(this.idleTimer);
        this.collector.dispose();
        await this.unloadNow();
    }

    private enqueue<T>(task: () => Promise<T>): Promise<T> {
        const result = this.queue.then(task, task);
        this.queue = result.catch(() => undefined);
        return result;
    }

    private async ensureLoaded(modelPath: string, onLoading?: (name: string) => void): Promise<LoadedModel> {
        if (!modelPath) throw new ModelError(ErrorCodes.noModel, 'No model is selected. Run "R1: Select Model" to choose a GGUF file.');
        if (this.loaded?.info.path === modelPath) return this.loaded;
        // Only ever called from the queue, so no other load is in flight here: nothing to join.
        this.loadingPath = modelPath;
        this.emitStatus();
        try {
            const loaded = await this.loadReplacing(modelPath, onLoading);
            this.lastError = undefined;
            return loaded;
        } catch (error) {
            this.lastError = error instanceof Error ? error.message : String(error);
            throw error;
        } finally {
            this.loadingPath = undefined;
            this.emitStatus();
        }
    }

    /**
     * Loads `modelPath` in place of the current model. The file is checked before the current model is freed;
     * if llama.cpp still fails to load it, the previous model is loaded again, so a bad choice never leaves the
     * user without the model that worked.
     */
    private async loadReplacing(modelPath: string, onLoading?: (name: string) => void): Promise<LoadedModel> {
        const checked = await checkModelFile(modelPath);
        onLoading?.(checked.info.name);
        const previous = this.loaded?.info.path;
        await this.unloadNow();
        try {
            return await this.loadNow(modelPath, checked);
        } catch (error) {
            if (previous) {
                this.events.log("warn", `Loading ${checked.info.name} failed; loading the previous model ${basename(previous)} again.`);
                await this.loadNow(previous, await checkModelFile(previous)).catch((again: unknown) =>
                    this.events.log("error", `The previous model did not load again: ${again instanceof Error ? again.message : String(again)}`)
                );
            }
            throw error;
        }
    }

    private async loadNow(modelPath: string, checked: CheckedModelFile): Promise<LoadedModel> {
        const started = Date.now();
        const lib = await loadNodeLlamaCpp();
        let llama: Llama;
        try {
            llama = await getRuntime(this.settings.gpu, this.llamaLogs, (level, message) => {
                if (level === "error" || level === "fatal" || level === "warn") this.events.log(level === "warn" ? "warn" : "error", `llama.cpp: ${message.trimEnd()}`);
            });
        } catch (error) {
            if (error instanceof LlamaRuntimeError) throw new ModelError(error.noBinary ? ErrorCodes.noBinary : ErrorCodes.loadFailed, error.message);
            throw error;
        }
        // The automatic count looks at how busy the cores are now (2 threads on 2 busy cores decode far slower than 1).
        const threadChoice = resolveThreads(this.settings.threads, llama, this.settings.threads > 0 ? undefined : await busyCores());
        const threads = threadChoice.threads;
        const requestedContext = Math.max(512, this.settings.contextSize);
        const contextWanted = checked.info.trainContextSize > 0 ? Math.min(requestedContext, checked.info.trainContextSize) : requestedContext;
        const mark = this.llamaLogs.mark();

        // GPU layers: fitted to free VRAM by node-llama-cpp, then fewer, then none, when a load runs out of memory.
        const attempts: Array<"auto" | number | { fitContext: { contextSize: number } }> =
            llama.gpu === false ? [0] : [{ fitContext: { contextSize: contextWanted } }, "auto", 0];
        let model: LlamaModel | undefined;
        let lastFailure: unknown;
        for (const gpuLayers of attempts) {
            try {
                model = await llama.loadModel({ modelPath, gpuLayers, defaultContextFlashAttention: "auto" });
                break;
            } catch (error) {
                lastFailure = error;
                this.events.log("warn", `Loading ${checked.info.name} with gpuLayers=${JSON.stringify(gpuLayers)} failed: ${(error as Error).message}`);
                if (!isOutOfMemory(error)) break;
            }
        }
        if (!model) throw this.loadError(this.loadLabel(checked.info.name, modelPath), lastFailure, mark);
        const warnings: string[] = [];
        if (checked.info.trainContextSize > 0 && requestedContext > checked.info.trainContextSize) {
            warnings.push(`r1.contextSize asks for ${requestedContext} tokens, but ${checked.info.name} was trained for ${checked.info.trainContextSize}: the context is ${checked.info.trainContextSize} tokens.`);
        }
        const totalLayers = model.fileInsights.totalLayers;
        if (attempts.length > 1 && model.gpuLayers === 0) warnings.push(`${checked.info.name} runs on the CPU: it did not fit in GPU memory, so replies are slower.`);
        else if (attempts.length > 1 && model.gpuLayers < totalLayers) warnings.push(`Only ${model.gpuLayers} of ${totalLayers} layers fit in GPU memory; the rest run on the CPU.`);

        let context: LlamaContext;
        try {
            context = await model.createContext({
                contextSize: { min: Math.min(1024, contextWanted), max: contextWanted },
                sequences: 1,
                threads: { ideal: threads, min: 1 }
            });
        } catch (error) {
            await model.dispose();
            throw this.loadError(this.loadLabel(checked.info.name, modelPath), error, mark);
        }
        if (context.contextSize < contextWanted) warnings.push(`The context is capped at ${context.contextSize} tokens (r1.contextSize asks for ${contextWanted}): that is what fits in memory.`);
        for (const w of warnings) this.events.log("warn", w);

        // Resolving renders the model's Jinja template against every known wrapper (0.5–1 s): once per load.
        const resolved = lib.resolveChatWrapper(model);
        const reasoning = resolved instanceof lib.DeepSeekChatWrapper;
        const chatWrapper = reasoning ? createForcedThinkWrapper(lib) : resolved;
        const gpuNames = llama.gpu === false ? [] : await llama.getGpuDeviceNames().catch(() => []);
        const engine: EngineInfo = {
            backend: llama.gpu === false ? "cpu" : llama.gpu,
            gpuName: gpuNames[0],
            gpuLayers: model.gpuLayers,
            totalLayers,
            contextSize: context.contextSize,
            threads,
            threadsReason: threadChoice.reason,
            loadMs: Date.now() - started,
            warnings
        };
        const loaded: LoadedModel = {
            model,
            context,
            ...(await this.newSequence(context)),
            chatWrapper,
            reasoning,
            info: { ...checked.info, reasoningTemplate: reasoning },
            engine
        };
        this.loaded = loaded;
        this.events.log(
            "info",
            `Loaded ${loaded.info.name} in ${(engine.loadMs / 1000).toFixed(1)} s: backend ${engine.backend}${engine.gpuName ? ` (${engine.gpuName})` : ""}, ` +
                `${engine.gpuLayers}/${engine.totalLayers} layers on GPU, context ${engine.contextSize}, threads ${engine.threads} (${threadChoice.reason}), ` +
                `chat wrapper ${chatWrapper.wrapperName}${reasoning ? "" : " (no DeepSeek-R1 template: replies have no separate thought)"}.`
        );
        return loaded;
    }

    /** The one sequence, with the answer-phase token predictor unless r1.tokenPrediction is off. */
    private async newSequence(context: LlamaContext): Promise<{ sequence: LlamaContextSequence; predictor?: AnswerPhasePredictor }> {
        if (this.settings.tokenPrediction === false) return { sequence: context.getSequence() };
        const predictor = createAnswerPredictor(await loadNodeLlamaCpp());
        return { sequence: context.getSequence({ tokenPredictor: predictor }), predictor };
    }

    private async replaceSequence(): Promise<void> {
        const loaded = this.loaded;
        if (!loaded) return;
        loaded.sequence.dispose();
        // Disposing the sequence disposes its predictor too.
        const fresh = await this.newSequence(loaded.context);
        this.loaded = { ...loaded, sequence: fresh.sequence, predictor: fresh.predictor };
        this.events.log("info", `Token prediction ${this.settings.tokenPrediction === false ? "off" : "on"}.`);
    }

    /** The model's name and its file, so that a refusal says which file it was. */
    private loadLabel(name: string, modelPath: string): string {
        const file = basename(modelPath);
        return name === file ? file : `${name} (${file})`;
    }

    private loadError(name: string, error: unknown, mark: number): ModelError {
        // llama.cpp's own words, without its generic wrapper lines ("failed to load model", resource simulation).
        const reasons = this.llamaLogs
            .problemsSince(mark)
            .filter((line) => !/simulating model resource usage|^llama_model_load_from_file_impl: failed to load model$/i.test(line))
            .map((line) => line.replace(/^llama_model_load: error loading model: /, ""));
        const base = error instanceof Error ? error.message : String(error);
        const unique = [...new Set(reasons)];
        const detail = unique.length > 0 ? unique.slice(-3).join(" / ") : base;
        const hint = isOutOfMemory(error) ? " Not enough memory: choose a smaller model or quantization, or lower r1.contextSize." : "";
        return new ModelError(ErrorCodes.loadFailed, `Could not load ${name}: ${detail}.${hint}`);
    }

    private async unloadNow(): Promise<void> {
        const loaded = this.loaded;
        if (!loaded) return;
        this.loaded = undefined;
        // Disposing the model cascades to its contexts and sequences and frees their memory.
        await loaded.model.dispose();
        this.events.log("info", `Unloaded ${loaded.info.name}.`);
        this.emitStatus();
    }

    private armIdleTimer(): void {
        clearTimeout(this.idleTimer);
        const minutes = this.settings.idleUnloadMinutes;
        if (minutes <= 0 || !this.loaded) return;
        this.idleTimer = setTimeout(() => {
            if (this.active > 0) return;
            this.events.log("info", `No request for ${minutes} min: unloading the model to free memory.`);
            void this.enqueue(() => this.unloadNow());
        }, minutes * 60_000);
        this.idleTimer.unref();
    }

    private emitStatus(): void {
        this.events.statusChanged(this.status());
    }
}

function isOutOfMemory(error: unknown): boolean {
    const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
    return /InsufficientMemory|out of memory|failed to allocate|ErrorOutOfDeviceMemory|cudaMalloc/i.test(text);
}

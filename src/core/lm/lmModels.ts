// The models R1 Reasoner offers to VS Code's language model API (vscode.lm, the Chat view's model picker): the
// selected or loaded local model, the catalog's downloaded models, and each saved remote engine, as plain data
// (the feature turns them into LanguageModelChatInformation). Ids say where a request goes: "local:<path>" or
// "remote:<endpoint id>".

/** A GGUF on this machine that R1 can run. */
export interface LocalModelFacts {
    path: string;
    /** The file's display name (or the loaded model's name). */
    name: string;
    /** The catalog entry it was downloaded for, when it is one. */
    catalog?: { modelId: string; modelName: string; quant: string; contextLength: number };
    /** Set when the model process has this model loaded: the context it really got. */
    loadedContextSize?: number;
    /** r1.modelPath points at it (the model R1's own chat uses). */
    selected: boolean;
}

/** A saved remote engine (an OpenAI-compatible server). */
export interface RemoteModelFacts {
    endpointId: string;
    /** "deepseek-reasoner @ api.deepseek.com". */
    label: string;
    /** The served model name. */
    model: string;
    /** The catalog model it serves (matched by name), when known: its context length. */
    catalogContextLength?: number;
    active: boolean;
}

export type LmTarget = { kind: "local"; path: string } | { kind: "remote"; endpointId: string };

export interface LmModelEntry {
    id: string;
    name: string;
    family: string;
    version: string;
    detail: string;
    tooltip: string;
    maxInputTokens: number;
    maxOutputTokens: number;
    target: LmTarget;
}

/**
 * A remote engine does not say its context window over the OpenAI API: without a catalog match, R1 assumes 65,536
 * tokens (the DeepSeek API's deepseek-reasoner serves R1 with a 64K context).
 */
export const REMOTE_DEFAULT_CONTEXT = 65_536;

export function localModelId(path: string): string {
    return `local:${path}`;
}

export function remoteModelId(endpointId: string): string {
    return `remote:${endpointId}`;
}

/** The entries, local models first (the selected one first), then the remote engines (the active one first). */
export function lmModelEntries(input: {
    local: readonly LocalModelFacts[];
    remote: readonly RemoteModelFacts[];
    /** r1.contextSize: what a local model is loaded with (capped by its training context and by memory). */
    contextSize: number;
    /** r1.maxTokens: the cap of one reply, thought and answer together. */
    maxTokens: number;
}): LmModelEntry[] {
    const seen = new Set<string>();
    const local = [...input.local].sort((a, b) => Number(b.selected) - Number(a.selected)).filter((m) => !seen.has(m.path) && seen.add(m.path));
    const entries: LmModelEntry[] = local.map((m) => {
        const window = m.loadedContextSize ?? Math.min(input.contextSize, m.catalog?.contextLength ?? input.contextSize);
        const where = m.loadedContextSize !== undefined ? "loaded" : m.selected ? "selected, not loaded yet" : "downloaded";
        return {
            id: localModelId(m.path),
            name: m.catalog ? `${m.catalog.modelName} ${m.catalog.quant}` : m.name,
            family: m.catalog?.modelId ?? "deepseek-r1",
            version: m.catalog?.quant ?? "local",
            detail: `R1 Reasoner · local · ${where}`,
            tooltip: `${m.path}\nRuns in R1 Reasoner's model process on this machine. Context ${window} tokens (r1.contextSize). The reasoning is not part of the text it returns.`,
            maxInputTokens: window,
            maxOutputTokens: Math.min(input.maxTokens, window),
            target: { kind: "local", path: m.path }
        };
    });
    const remote = [...input.remote].sort((a, b) => Number(b.active) - Number(a.active));
    for (const r of remote) {
        const window = r.catalogContextLength ?? REMOTE_DEFAULT_CONTEXT;
        entries.push({
            id: remoteModelId(r.endpointId),
            name: r.label,
            family: r.model.toLowerCase().includes("zero") ? "deepseek-r1-zero" : "deepseek-r1",
            version: r.model,
            detail: `R1 Reasoner · remote${r.active ? " · active" : ""}`,
            tooltip: `${r.label}\nAn OpenAI-compatible server saved in R1 Reasoner. Context ${window} tokens${r.catalogContextLength ? "" : " (assumed: the server does not say)"}; token counts are estimates. The reasoning is not part of the text it returns.`,
            maxInputTokens: window,
            maxOutputTokens: Math.min(input.maxTokens, window),
            target: { kind: "remote", endpointId: r.endpointId }
        });
    }
    return entries;
}

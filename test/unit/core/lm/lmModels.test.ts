// The models VS Code's model picker and vscode.lm get from R1: ids that say where a request goes, the context
// window a loaded model really has, the catalog's names, remote engines with an assumed window, and the
// remote token estimate.
import assert from "node:assert/strict";
import { test } from "node:test";
import { lmModelEntries, REMOTE_DEFAULT_CONTEXT } from "../../../../src/core/lm/lmModels";
import { estimateTokens } from "../../../../src/core/lm/tokenEstimate";

const catalog = { modelId: "deepseek-r1-distill-qwen-7b", modelName: "DeepSeek-R1-Distill-Qwen-7B", quant: "Q4_K_M", contextLength: 131072 };

test("local models: the selected one first, a loaded model's real context, the catalog's name and family; no duplicates", () => {
    const entries = lmModelEntries({
        local: [
            { path: "/m/qwen7b.gguf", name: "qwen7b", catalog, selected: false },
            { path: "/m/scripted.gguf", name: "scripted", selected: true, loadedContextSize: 4096 },
            { path: "/m/qwen7b.gguf", name: "qwen7b", catalog, selected: false }
        ],
        remote: [],
        contextSize: 8192,
        maxTokens: 16384
    });
    assert.deepEqual(entries.map((e) => e.id), ["local:/m/scripted.gguf", "local:/m/qwen7b.gguf"]);
    const [scripted, qwen] = entries;
    assert.equal(scripted!.maxInputTokens, 4096, "the context the model process loaded it with");
    assert.equal(scripted!.maxOutputTokens, 4096, "a reply cannot exceed the window");
    assert.match(scripted!.detail, /loaded/);
    assert.equal(qwen!.name, "DeepSeek-R1-Distill-Qwen-7B Q4_K_M");
    assert.equal(qwen!.family, "deepseek-r1-distill-qwen-7b");
    assert.equal(qwen!.maxInputTokens, 8192, "r1.contextSize, below the training context");
    assert.deepEqual(qwen!.target, { kind: "local", path: "/m/qwen7b.gguf" });
});

test("remote engines: the active one first, an assumed window unless the catalog knows the model, r1.maxTokens as output", () => {
    const entries = lmModelEntries({
        local: [],
        remote: [
            { endpointId: "a", label: "r1 @ gpu-box", model: "deepseek-ai/DeepSeek-R1", catalogContextLength: 163840, active: false },
            { endpointId: "b", label: "deepseek-reasoner @ api.deepseek.com", model: "deepseek-reasoner", active: true }
        ],
        contextSize: 8192,
        maxTokens: 16384
    });
    assert.deepEqual(entries.map((e) => e.id), ["remote:b", "remote:a"]);
    assert.equal(entries[0]!.maxInputTokens, REMOTE_DEFAULT_CONTEXT);
    assert.match(entries[0]!.tooltip, /assumed/);
    assert.equal(entries[1]!.maxInputTokens, 163840);
    assert.equal(entries[1]!.maxOutputTokens, 16384);
});

test("remote token estimate: DeepSeek's rule of thumb (0.3 per ASCII character, 0.6 otherwise), rounded up", () => {
    assert.equal(estimateTokens(""), 0);
    assert.equal(estimateTokens("a"), 1);
    assert.equal(estimateTokens("x".repeat(100)), 30);
    assert.equal(estimateTokens("价格".repeat(10)), 12);
});

// The catalog's full R1 / R1-Zero rows lead to the remote-engine flow with a model name filled in: that name is
// found among the server's models whatever the engine calls it, and never confused with R1-Zero or a distill.
import assert from "node:assert/strict";
import { test } from "node:test";
import { matchServedModel, servedModelName, suggestedModelName } from "../../../../src/core/engines/remoteModelMatch";

test("servedModelName: the Hugging Face repository of the catalog model", () => {
    assert.equal(servedModelName({ name: "DeepSeek-R1", upstream: "https://huggingface.co/deepseek-ai/DeepSeek-R1" }), "deepseek-ai/DeepSeek-R1");
    assert.equal(servedModelName({ name: "DeepSeek-R1-Zero", upstream: "https://huggingface.co/deepseek-ai/DeepSeek-R1-Zero" }), "deepseek-ai/DeepSeek-R1-Zero");
    assert.equal(servedModelName({ name: "Other", upstream: "https://example.com/x" }), "Other");
});

test("matchServedModel: vLLM/SGLang names, Ollama tags, llama-server file names and the DeepSeek API alias", () => {
    const r1 = "deepseek-ai/DeepSeek-R1";
    assert.equal(matchServedModel(["deepseek-ai/DeepSeek-R1-Zero", "deepseek-ai/DeepSeek-R1"], r1), "deepseek-ai/DeepSeek-R1");
    assert.equal(matchServedModel(["llama3:8b", "deepseek-r1:671b"], r1), "deepseek-r1:671b");
    assert.equal(matchServedModel(["DeepSeek-R1-UD-IQ1_S"], r1), "DeepSeek-R1-UD-IQ1_S");
    assert.equal(matchServedModel(["deepseek-chat", "deepseek-reasoner"], r1), "deepseek-reasoner");
    assert.equal(matchServedModel(["/models/DeepSeek-R1.gguf"], r1), "/models/DeepSeek-R1.gguf");
});

test("matchServedModel: R1 is not R1-Zero nor a distill, and R1-Zero is not R1; nothing matching gives undefined", () => {
    assert.equal(matchServedModel(["deepseek-ai/DeepSeek-R1-Zero", "deepseek-r1-distill-qwen-7b"], "deepseek-ai/DeepSeek-R1"), undefined);
    assert.equal(matchServedModel(["deepseek-ai/DeepSeek-R1", "deepseek-reasoner"], "deepseek-ai/DeepSeek-R1-Zero"), undefined);
    assert.equal(matchServedModel(["deepseek-ai/DeepSeek-R1-Zero"], "deepseek-ai/DeepSeek-R1-Zero"), "deepseek-ai/DeepSeek-R1-Zero");
    assert.equal(matchServedModel([], "deepseek-ai/DeepSeek-R1"), undefined);
});

test("suggestedModelName: typed by hand, R1 on the DeepSeek API is deepseek-reasoner; elsewhere the catalog's name", () => {
    assert.equal(suggestedModelName("https://api.deepseek.com/v1", "deepseek-ai/DeepSeek-R1"), "deepseek-reasoner");
    assert.equal(suggestedModelName("http://127.0.0.1:8000/v1", "deepseek-ai/DeepSeek-R1"), "deepseek-ai/DeepSeek-R1");
    assert.equal(suggestedModelName("https://api.deepseek.com/v1", "deepseek-ai/DeepSeek-R1-Zero"), "deepseek-ai/DeepSeek-R1-Zero");
    assert.equal(suggestedModelName("http://127.0.0.1:8000/v1", undefined), "");
});

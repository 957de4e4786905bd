// R1 as a language model of VS Code (vscode.lm), in the real extension host: selectChatModels finds the scripted
// model under R1's vendor with its context window; sendRequest streams the answer as text parts and never the
// thought; cancelling stops the model process's generation (seen in r1/status, and the request ended "abort");
// token counts are the model's own tokenizer's (the scripted tokenizer has one token per byte and no merges; the
// unit test test/unit/server/countTokens.test.ts compares r1/countTokens with node-llama-cpp's tokenizer itself).
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import type { R1ExtensionApi } from "../../../src/extension";
import { SLOW_RIGHT_FIX } from "../../fixtures/cartScripts";
import { expectedScriptReply, writeScriptedModel, type ScriptSpec } from "../../fixtures/scriptedModel";
import { r1ReplyPieces } from "../../fixtures/scriptPieces";
import { extensionId, selectModelFile, setR1 } from "./helpers";

const VENDOR = "r1-reasoner";

/** EXPLAIN's thought, then an answer long enough (one token per piece) to leave the model process in several progress messages. */
const LONG_ANSWER: ScriptSpec = {
    pieces: r1ReplyPieces({
        thought: ["parsePrice trims the text", " and strips a leading dollar sign.", ...Array.from({ length: 60 }, (_, i) => ` s${i}`)],
        answer: ["\n\n`parsePrice` returns a string.", ...Array.from({ length: 600 }, (_, i) => ` w${i}`)]
    }),
    name: "scripted long answer"
};

/** Polls an async condition every 50 ms until it returns something truthy; throws after `timeoutMs`. */
async function until<T>(get: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
        const v = await get();
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}

async function r1Model(path: string): Promise<vscode.LanguageModelChat> {
    return until(async () => (await vscode.lm.selectChatModels({ vendor: VENDOR })).find((m) => m.id === `local:${path}`), 30_000, `vscode.lm lists ${path}`);
}

describe("R1 as a vscode.lm language model", function () {
    this.timeout(120_000);
    let api: R1ExtensionApi;
    let tmp: string;
    let explain: string;
    let endless: string;

    before(async () => {
        api = (await vscode.extensions.getExtension(extensionId)!.activate()) as R1ExtensionApi;
        tmp = mkdtempSync(join(tmpdir(), "r1-lm-host-"));
        explain = join(tmp, "explain.gguf");
        endless = join(tmp, "endless.gguf");
        await writeScriptedModel(explain, LONG_ANSWER);
        await writeScriptedModel(endless, SLOW_RIGHT_FIX);
        await setR1("threads", 1);
        await selectModelFile(explain);
    });

    after(async () => {
        await setR1("thinkingBudget", undefined);
        await setR1("threads", undefined);
        rmSync(tmp, { recursive: true, force: true });
    });

    it("selectChatModels({ vendor }) returns the selected scripted model with its name, family and window", async () => {
        const model = await r1Model(explain);
        assert.equal(model.vendor, VENDOR);
        assert.equal(model.name, "explain");
        assert.equal(model.family, "deepseek-r1");
        assert.equal(model.maxInputTokens, 8192, "not loaded yet: r1.contextSize");
    });

    it("sendRequest streams the answer as text parts, and no part carries the thought", async () => {
        const model = await r1Model(explain);
        const expected = expectedScriptReply(LONG_ANSWER);
        const response = await model.sendRequest([vscode.LanguageModelChatMessage.User("Explain parsePrice in src/cart.ts.")], {}, new vscode.CancellationTokenSource().token);
        const parts: unknown[] = [];
        for await (const part of response.stream) parts.push(part);
        assert.ok(parts.length > 1, `streamed in several parts (${parts.length})`);
        const texts = parts.map((p) => {
            assert.ok(p instanceof vscode.LanguageModelTextPart, "every part is text");
            return p.value;
        });
        assert.equal(texts.join("").trim(), expected.answer.trim(), "the scripted answer, exactly");
        for (const piece of ["parsePrice trims the text", " s42", "<think>", "</think>"]) {
            assert.ok(!texts.some((t) => t.includes(piece)), `no text part contains the thought (${JSON.stringify(piece)})`);
        }
        assert.ok(expected.thought.includes("parsePrice trims the text"), "the script does think");
        assert.equal(api.languageModels?.lastResponse?.stopReason, "eos");
        assert.ok((api.languageModels?.lastResponse?.thoughtChars ?? 0) > 100, "the model process did produce the thought");
        // Loaded now: the list says the context the model process really loaded it with (capped by its training context, 4096).
        await until(async () => (await r1Model(explain)).maxInputTokens === 4096, 30_000, "the loaded model's window in the list");
    });

    it("cancelling the request stops the model process's generation", async () => {
        await selectModelFile(endless);
        await setR1("thinkingBudget", 0);
        const model = await r1Model(endless);
        const cts = new vscode.CancellationTokenSource();
        const response = await model.sendRequest([vscode.LanguageModelChatMessage.User("Think about parsePrice for a long time.")], {}, cts.token);
        const consumed = (async () => {
            const parts: unknown[] = [];
            try {
                for await (const part of response.stream) parts.push(part);
            } catch {
                // A cancelled stream may end with a cancellation error: what matters is the model process.
            }
            return parts;
        })();
        // The script thinks without end (no thinking budget): only the cancellation can stop it.
        await until(async () => (await api.modelProcess.getStatus()).state === "generating", 60_000, "the model process is generating");
        cts.cancel();
        const status = await until(async () => {
            const s = await api.modelProcess.getStatus();
            return s.activeRequests === 0 && s.state !== "generating" ? s : undefined;
        }, 30_000, "r1/status: no request running, not generating");
        assert.equal(status.state, "ready", "the model stays loaded and usable");
        assert.equal((await consumed).length, 0, "no text part: the model was still thinking");
        assert.equal(api.languageModels?.lastResponse?.stopReason, "abort", "the generation ended because it was cancelled");
    });

    it("token counts are the model's own tokenizer's", async () => {
        await selectModelFile(explain);
        const model = await r1Model(explain);
        const ascii = "Explain parsePrice, please.";
        assert.equal(await model.countTokens(ascii), Buffer.byteLength(ascii), "one token per byte of ASCII text");
        assert.equal(await model.countTokens("价格"), 6, "a CJK character is its three UTF-8 bytes");
        assert.equal(await model.countTokens(vscode.LanguageModelChatMessage.User(ascii)), Buffer.byteLength(ascii), "a message counts its text");
    });
});

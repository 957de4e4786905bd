// The model process as the extension runs it inside the real extension host: a separate process that answers
// over LSP, streams a reply split into thought and answer, and is restarted once when it crashes.
import * as assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import type { ReasonProgress, ReasonResult, ServerStatus } from "../../../src/shared/lspProtocol";
import { waitFor } from "./helpers";

const repoRoot = join(__dirname, "../../../..");
const scripted = join(repoRoot, "test/fixtures/models/r1-scripted.gguf");

interface ModelProcessApi {
    readonly pid: number | undefined;
    readonly running: boolean;
    getStatus(): Promise<ServerStatus>;
    ensureStarted(): Promise<unknown>;
    reason(params: unknown, onProgress: (p: ReasonProgress) => void, token?: vscode.CancellationToken): Promise<ReasonResult>;
    onCrash: vscode.Event<{ restarted: boolean }>;
}

async function api(): Promise<ModelProcessApi> {
    const ext = vscode.extensions.getExtension<{ modelProcess: ModelProcessApi }>("r1-reasoner.r1-reasoner");
    assert.ok(ext);
    return (await ext.activate()).modelProcess;
}

const request = {
    action: "chat",
    turns: [{ role: "user", text: "Write an add function in TypeScript." }],
    sampling: { temperature: 0.6, topP: 0.95, thoughtBudget: 0, maxTokens: 400 },
    modelPath: scripted
};

describe("the model process (language server)", function () {
    this.timeout(60_000);

    before(function () {
        if (!existsSync(scripted)) this.skip();
    });

    it("runs in its own process and answers the status request", async () => {
        const mp = await api();
        await mp.ensureStarted();
        const status = await mp.getStatus();
        assert.ok(status.pid > 0);
        assert.notEqual(status.pid, process.pid, "not the extension host");
        assert.equal(status.pid, mp.pid);
        assert.ok(["idle", "ready", "error"].includes(status.state), status.state);
    });

    it("streams a reply: thought first, then the answer with its code block", async () => {
        const mp = await api();
        const progress: ReasonProgress[] = [];
        const result = await mp.reason(request, (p) => progress.push(p));
        assert.equal(result.thoughtState, "ended");
        assert.equal(result.stopReason, "eos");
        assert.match(result.reasoning, /^Okay, the user wants a function that adds two numbers\./);
        assert.match(result.answer, /```typescript\nexport function add\(a: number, b: number\): number \{\n {4}return a \+ b;\n\}\n```/);
        const thought = progress.map((p) => p.thought ?? "").join("");
        const answer = progress.map((p) => p.answer ?? "").join("");
        assert.equal(thought.trim(), result.reasoning);
        assert.equal(answer.trimEnd(), result.answer);
        assert.ok(progress.findIndex((p) => p.answer) >= progress.findIndex((p) => p.thought), "the thought streams first (a batch may carry the end of the thought and the start of the answer)");
        const status = await mp.getStatus();
        assert.equal(status.state, "ready");
        assert.equal(status.model?.name, "r1-scripted");
        assert.equal(status.engine?.backend, "cpu");
    });

    it("is restarted once when it crashes, and the next request works", async () => {
        const mp = await api();
        const before = mp.pid;
        assert.ok(before);
        const crashed = new Promise<{ restarted: boolean }>((resolve) => {
            const sub = mp.onCrash((e) => {
                sub.dispose();
                resolve(e);
            });
        });
        process.kill(before, "SIGKILL");
        assert.equal((await crashed).restarted, true);
        await waitFor(() => mp.running && mp.pid !== undefined && mp.pid !== before, 30_000, "a new model process is running");
        const result = await mp.reason(request, () => undefined);
        assert.equal(result.stopReason, "eos");
        assert.match(result.answer, /export function add/);
    });
});

// Reliability, faults of the model process, in the real extension host with the real model process and scripted
// models: the process is killed (SIGKILL) while a chat reply thinks and while it answers. What the user would
// notice: what had arrived stays in the chat, marked interrupted, also in the stored history (what a window reload
// shows: see the UI test "UI: Reliability"); the process is restarted and the next request answers; a crash loop
// is not restarted forever: the second crash within three minutes leaves it stopped, says so with a "Restart Model
// Process" button, and that command brings it back.
import * as assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import type { ChatController } from "../../../src/features/chat/chatController";
import { historyStateKey } from "../../../src/features/chat/chatHistoryStore";
import { parseHistory } from "../../../src/core/chat/chatHistory";
import type { ReasonParams, ReasonResult } from "../../../src/shared/lspProtocol";
import type { HostToWebview, WebviewToHost } from "../../../src/shared/webviewProtocol";
import { FIXED_LINE, RIGHT_FIX } from "../../fixtures/cartScripts";
import { ENDLESS_ANSWER, ENDLESS_ANSWER_START, ENDLESS_ANSWER_THOUGHT, ENDLESS_THOUGHT, ENDLESS_THOUGHT_START } from "../../fixtures/reliabilityScripts";
import { writeScriptedModel } from "../../fixtures/scriptedModel";
import { extensionId, selectModelFile, setR1, waitFor } from "./helpers";

interface ModelProcessApi {
    readonly pid: number | undefined;
    readonly running: boolean;
    reason(params: ReasonParams, ...rest: unknown[]): Promise<ReasonResult>;
    onCrash: vscode.Event<{ restarted: boolean }>;
}
interface R1Api {
    modelProcess: ModelProcessApi;
    chat: ChatController;
}

type Posted = HostToWebview;

/** The model processes this extension host has running now (children running dist/server.js, from /proc). */
function modelProcesses(): number[] {
    const pids: number[] = [];
    for (const name of readdirSync("/proc")) {
        if (!/^\d+$/.test(name)) continue;
        try {
            const stat = readFileSync(`/proc/${name}/stat`, "utf8");
            const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            // Our dist/server.js only: the TypeScript extension's tsserver.js children also end in "server.js".
            const args = readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0");
            if (ppid === process.pid && args.some((a) => a.endsWith("/dist/server.js"))) pids.push(Number(name));
        } catch {
            // gone meanwhile
        }
    }
    return pids;
}

describe("Reliability: the model process killed mid-reply", function () {
    this.timeout(120_000);
    let api: R1Api;
    let tmp = "";
    const models: Record<string, string> = {};
    const posted: Posted[] = [];
    /** Called with every message the chat posts (the test's hook: kill the process at a chosen moment). */
    let onPost: ((m: Posted) => void) | undefined;
    let view: { handle(m: WebviewToHost): Promise<unknown>; dispose(): void };
    const errors: string[] = [];
    let restoreErrors: (() => void) | undefined;
    const crashes: Array<{ restarted: boolean }> = [];
    let crashSub: vscode.Disposable | undefined;
    const requests: ReasonParams[] = [];
    let restoreReason: (() => void) | undefined;

    const ofType = <T extends Posted["type"]>(type: T, from = 0) => posted.slice(from).filter((m): m is Extract<Posted, { type: T }> => m.type === type);

    /** Sends a chat message; kills the model process (SIGKILL) at the first progress `when` accepts; returns the turn's messages. */
    async function sendAndKill(text: string, when: (m: Extract<Posted, { type: "progress" }>) => boolean): Promise<{ id: string; failed: string; streamed: { thought: string; answer: string }; killedPid: number }> {
        const from = posted.length;
        let killedPid = 0;
        const streamed = { thought: "", answer: "" };
        onPost = (m) => {
            if (m.type !== "progress" || killedPid) return;
            streamed.thought += m.progress.thought ?? "";
            streamed.answer += m.progress.answer ?? "";
            if (!when(m)) return;
            killedPid = api.modelProcess.pid ?? 0;
            assert.ok(killedPid > 0, "the model process is running");
            process.kill(killedPid, "SIGKILL");
        };
        try {
            await view.handle({ type: "send", text });
        } finally {
            onPost = undefined;
        }
        const started = ofType("turnStarted", from).pop();
        assert.ok(started, "the turn started");
        const finished = ofType("turnFinished", from).find((m) => m.id === started.id);
        assert.equal(finished, undefined, `the turn did not finish: it was killed (${JSON.stringify(finished?.result.stopReason)})`);
        const failed = ofType("turnFailed", from).find((m) => m.id === started.id);
        assert.ok(failed, "the turn failed");
        assert.ok(killedPid > 0, "the process was killed");
        return { id: started.id, failed: failed.message, streamed, killedPid };
    }

    /** The turn as the stored history has it (what a reloaded window reads back). */
    async function storedTurn(id: string) {
        await api.chat.flushed();
        const state = (api.chat as unknown as { services: { context: vscode.ExtensionContext } }).services.context.workspaceState;
        const history = parseHistory(state.get(historyStateKey));
        return history.conversations.flatMap((c) => c.turns).find((t) => t.id === id);
    }

    /** The turn as a webview that loads now draws it. */
    async function replayedTurn(id: string) {
        const drawn: Posted[] = [];
        const fresh = api.chat.connect((m) => drawn.push(structuredClone(m)));
        try {
            await fresh.handle({ type: "ready" });
        } finally {
            fresh.dispose();
        }
        return drawn.find((m): m is Extract<Posted, { type: "turnRestored" }> => m.type === "turnRestored" && m.id === id);
    }

    async function expectNextRequestAnswers(): Promise<void> {
        await selectModelFile(models.right!);
        const from = posted.length;
        await view.handle({ type: "send", text: "Fix parsePrice." });
        const finished = ofType("turnFinished", from).pop();
        assert.ok(finished, `the next request answered${ofType("turnFailed", from).map((m) => `: failed with ${m.message}`).join("")}`);
        assert.equal(finished.result.stopReason, "eos");
        assert.ok(finished.result.answer.includes(FIXED_LINE.trim()), finished.result.answer);
    }

    before(async function () {
        this.timeout(150_000);
        api = (await vscode.extensions.getExtension(extensionId)!.activate()) as R1Api;
        tmp = mkdtempSync(join(tmpdir(), "r1-reliability-faults-"));
        for (const [name, spec] of Object.entries({ thought: ENDLESS_THOUGHT, answer: ENDLESS_ANSWER, right: RIGHT_FIX })) {
            models[name] = join(tmp, `${name}.gguf`);
            await writeScriptedModel(models[name]!, spec);
        }
        await setR1("threads", 1);
        await setR1("contextSize", 16384);
        await setR1("thinkingBudget", 0);
        // Every error notification the extension shows (they still show: this only records them).
        const show = vscode.window.showErrorMessage;
        (vscode.window as { showErrorMessage: unknown }).showErrorMessage = (message: string, ...rest: unknown[]) => {
            errors.push([message, ...rest.filter((r) => typeof r === "string")].join(" | "));
            return (show as (...a: unknown[]) => Thenable<unknown>)(message, ...rest);
        };
        restoreErrors = () => ((vscode.window as { showErrorMessage: unknown }).showErrorMessage = show);
        crashSub = api.modelProcess.onCrash((e) => crashes.push(e));
        const mp = api.modelProcess;
        const reason = mp.reason.bind(mp);
        mp.reason = (params: ReasonParams, ...rest: unknown[]) => {
            requests.push(structuredClone(params));
            return reason(params, ...rest);
        };
        restoreReason = () => (mp.reason = reason);
        await api.chat.newChat();
        view = api.chat.connect((m) => {
            const copy = structuredClone(m);
            posted.push(copy);
            onPost?.(copy);
        });
        await view.handle({ type: "ready" });
    });

    beforeEach(async () => {
        // A fresh process and crash count, as "R1: Restart Model Process" gives (earlier suites crashed it too).
        await vscode.commands.executeCommand("r1.restartModelProcess");
        crashes.length = 0;
        errors.length = 0;
    });

    after(async () => {
        view?.dispose();
        restoreErrors?.();
        restoreReason?.();
        crashSub?.dispose();
        for (const key of ["modelPath", "threads", "contextSize", "thinkingBudget"]) await setR1(key, undefined);
        await api.chat.newChat();
        if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    it("killed while thinking: the partial thought stays, marked interrupted, also stored; the process restarts; the next request answers", async () => {
        await selectModelFile(models.thought!);
        const { id, failed, streamed, killedPid } = await sendAndKill("Think about parsePrice.", (m) => (m.progress.thought ?? "").length > 0);
        assert.match(failed, /^Interrupted: the model process stopped while working on the request \(killed by SIGKILL\)/);
        const turn = api.chat.current.turns.find((t) => t.id === id)!;
        assert.ok(streamed.thought.startsWith(ENDLESS_THOUGHT_START), streamed.thought.slice(0, 60));
        assert.ok(turn.result, "the turn keeps a reply");
        assert.ok(turn.result.reasoning.startsWith(streamed.thought), "everything shown before the kill is kept");
        assert.equal(turn.result.answer, "");
        assert.equal(turn.result.stopReason, "error");
        assert.equal(turn.error, failed);
        const stored = await storedTurn(id);
        assert.equal(stored?.result?.reasoning, turn.result.reasoning, "the stored history has the partial thought");
        assert.equal(stored?.error, failed);
        const drawn = await replayedTurn(id);
        assert.equal(drawn?.result.reasoning, turn.result.reasoning, "a webview that loads now draws the partial thought");
        assert.equal(drawn?.error, failed, "…marked interrupted");
        await waitFor(() => crashes.length > 0, 30_000, "the crash is reported");
        assert.equal(crashes[0]!.restarted, true);
        await waitFor(() => api.modelProcess.running && api.modelProcess.pid !== killedPid, 30_000, "a new model process runs");
        await expectNextRequestAnswers();
    });

    it("killed while answering: the thought and the partial answer stay, marked interrupted; the next request answers", async () => {
        await selectModelFile(models.answer!);
        const { id, failed, streamed } = await sendAndKill("Answer at length.", (m) => (m.progress.answer ?? "").length > 0);
        assert.match(failed, /^Interrupted: the model process stopped/);
        const turn = api.chat.current.turns.find((t) => t.id === id)!;
        assert.equal(turn.result?.reasoning.trim(), ENDLESS_ANSWER_THOUGHT);
        assert.ok(turn.result?.answer.startsWith(streamed.answer) && streamed.answer.trimStart().startsWith(ENDLESS_ANSWER_START.trim()), JSON.stringify(turn.result?.answer.slice(0, 80)));
        const stored = await storedTurn(id);
        assert.equal(stored?.result?.answer, turn.result?.answer, "the stored history has the partial answer");
        assert.equal(stored?.error, failed);
        await waitFor(() => crashes.length > 0, 30_000, "the crash is reported");
        assert.equal(crashes[0]!.restarted, true);
        await expectNextRequestAnswers();
        // The interrupted exchange is not sent back as history.
        assert.ok(!(requests.at(-1)?.turns ?? []).some((t) => t.text.includes(ENDLESS_ANSWER_START.trim())), "the partial answer is not history");
    });

    it("a crash loop: the second crash within three minutes is not restarted, the error says so with Restart Model Process, which brings it back", async () => {
        await selectModelFile(models.thought!);
        const first = await sendAndKill("Think.", (m) => (m.progress.thought ?? "").length > 0);
        await waitFor(() => api.modelProcess.running && api.modelProcess.pid !== first.killedPid, 30_000, "restarted after the first crash");
        const second = await sendAndKill("Think again.", (m) => (m.progress.thought ?? "").length > 0);
        await waitFor(() => crashes.length === 2, 30_000, "both crashes are reported");
        assert.deepEqual(crashes.map((c) => c.restarted), [true, false]);
        const loopMessage = await waitFor(() => errors.find((e) => /crashed again/.test(e)), 10_000, "the crash-loop error is shown");
        assert.match(loopMessage, /2 times in 3 minutes, so it is not restarted automatically/);
        assert.match(loopMessage, /\| Restart Model Process \| Show Logs$/);
        assert.equal(api.modelProcess.running, false, "the process stays stopped");
        assert.equal(api.modelProcess.pid, undefined);
        assert.ok(api.chat.current.turns.find((t) => t.id === second.id)?.result?.reasoning.startsWith(ENDLESS_THOUGHT_START), "the second partial thought is kept too");
        await vscode.commands.executeCommand("r1.restartModelProcess");
        assert.ok(api.modelProcess.running && api.modelProcess.pid, "Restart Model Process starts it");
        await expectNextRequestAnswers();
    });


    it("Restart Model Process pressed while a crash restart is under way: exactly one model process runs, and it answers", async function () {
        if (process.platform !== "linux") this.skip();
        const before = api.modelProcess.pid!;
        assert.deepEqual(modelProcesses(), [before]);
        process.kill(before, "SIGKILL");
        await vscode.commands.executeCommand("r1.restartModelProcess");
        await waitFor(() => api.modelProcess.running && !modelProcesses().includes(before), 30_000, "the killed process is gone and a new one runs");
        await expectNextRequestAnswers();
        assert.deepEqual(modelProcesses(), [api.modelProcess.pid], "one model process, the one that answers");
    });
});

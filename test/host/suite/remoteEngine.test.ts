// Remote engines in the real extension host, against the replay server (test/fixtures/remote/replayServer.ts) on
// 127.0.0.1 standing in for vLLM: R1: Select Model's DeepSeek-R1 row leads to "Use a remote engine…" with the served
// R1 preselected (not R1-Zero); the status bar names engine and model; the chat, a Fix with R1 and Explain Code give
// the remote thought and answer; the first request asks once before code goes to an endpoint, and a refusal sends
// nothing; a saved engine is switched back to from the picker; the key reaches the server's Authorization header and
// no log line. The quick picks and input boxes are the real ones (the test wraps window.createQuickPick and
// createInputBox, as models.test.ts does, and accepts through the workbench's command); the consent modal is
// answered by wrapping window.showWarningMessage (a modal cannot be clicked from inside the extension host).
// Workspace trust is disabled in this host (code-server --disable-workspace-trust): the untrusted-workspace gate is
// unit-tested (test/unit/core/models/remoteEngineText.test.ts).
import * as assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import type { ChatController } from "../../../src/features/chat/chatController";
import { EngineStore } from "../../../src/features/engines/engineStore";
import type { ExplainOutcome } from "../../../src/features/explain/explainCode";
import type { FixOutcome } from "../../../src/features/fix/fixWithR1";
import type { ExternalTurn, ExternalTurnInfo } from "../../../src/features/reasoning/reasoningDisplay";
import type { ReasonResult } from "../../../src/shared/lspProtocol";
import type { HostToWebview } from "../../../src/shared/webviewProtocol";
import { BROKEN_LINE, FIXED_LINE, fixAnswer } from "../../fixtures/cartScripts";
import { ReplayServer } from "../../fixtures/remote/replayServer";
import { addFunctionReply } from "../../fixtures/remote/transcripts";
import { vllmAnswer } from "../../fixtures/remote/vllmStream";
import { extensionId, proposalTabs, r1, restoreDocument, waitFor } from "./helpers";

const repoRoot = join(__dirname, "../../../..");

interface R1Api {
    chat: ChatController;
    display: { startTurn(info: ExternalTurnInfo): ExternalTurn };
    statusBar: { shown: { text: string; tooltip: string } };
    engines: EngineStore;
    log: { channel: vscode.LogOutputChannel };
}

const KEY = "sk-remote-hosttest-4f9c2a";
const R1 = "deepseek-ai/DeepSeek-R1";
const FIX = {
    reasoning: "The function promises a number but returns the cleaned-up string from replace. Wrapping it in Number() converts it.",
    answer: fixAnswer(FIXED_LINE, "Convert the string to a number:").join("").trimStart()
};
const EXPLANATION = {
    reasoning: "parsePrice trims the text and strips a leading dollar sign, but it never converts the result to a number.",
    answer: "`parsePrice` trims the input and removes a leading `$`.\n\nIt returns the **string** although it promises a number: wrap it in `Number()`."
};

type Input = vscode.QuickPick<vscode.QuickPickItem & { action?: { kind: string; entryId?: string; endpointId?: string } }> | vscode.InputBox;

/** Captures the quick picks and input boxes the extension creates from now on. */
function captureInputs(): { next<T extends Input>(timeoutMs?: number): Promise<T>; restore(): void } {
    const w = vscode.window as { createQuickPick: typeof vscode.window.createQuickPick; createInputBox: typeof vscode.window.createInputBox };
    const [quickPick, inputBox] = [w.createQuickPick, w.createInputBox];
    const created: Input[] = [];
    w.createQuickPick = function <T extends vscode.QuickPickItem>() {
        const qp = quickPick.call(vscode.window) as vscode.QuickPick<T>;
        created.push(qp as unknown as Input);
        return qp;
    };
    w.createInputBox = () => {
        const box = inputBox.call(vscode.window);
        created.push(box);
        return box;
    };
    let taken = 0;
    return {
        async next<T extends Input>(timeoutMs = 60_000) {
            await waitFor(() => created.length > taken, timeoutMs, "the extension opened no quick pick or input box");
            return created[taken++] as T;
        },
        restore() {
            w.createQuickPick = quickPick;
            w.createInputBox = inputBox;
        }
    };
}

const accept = () => vscode.commands.executeCommand("workbench.action.acceptSelectedQuickOpenItem");

/**
 * Makes `item` the active row and waits until the workbench reports it active (the extension host sends quick-pick
 * updates batched: a command run at once could accept the row that was active before).
 */
async function activate<T extends vscode.QuickPickItem>(picker: vscode.QuickPick<T>, item: T): Promise<void> {
    const shown = new Promise<void>((resolve) => {
        const sub = picker.onDidChangeActive((active) => {
            if (active[0]?.label === item.label) {
                sub.dispose();
                resolve();
            }
        });
    });
    picker.activeItems = [item];
    let done = false;
    void shown.then(() => (done = true));
    await waitFor(() => done, 10_000, `the workbench made "${item.label}" the active row`);
}

describe("Remote engines: Select Model, chat, Fix with R1 and Explain Code through an OpenAI-compatible server", function () {
    this.timeout(120_000);
    let api: R1Api;
    let server: ReplayServer;
    let capture: ReturnType<typeof captureInputs>;
    const consentAsked: string[] = [];
    let consentAnswer: string | undefined = "Send";
    const logged: string[] = [];
    const restores: Array<() => void> = [];
    const posted: HostToWebview[] = [];
    let view: { handle(m: { type: "send"; text: string } | { type: "ready" }): Promise<unknown>; dispose(): void };
    const turns: Array<{ info: ExternalTurnInfo; result?: ReasonResult; failed?: string }> = [];
    let label = "";

    const ofType = <T extends HostToWebview["type"]>(type: T, from = 0) =>
        posted.slice(from).filter((m): m is Extract<HostToWebview, { type: T }> => m.type === type);

    /** Sends a chat message as the webview does; returns its turnStarted and its end (finished or failed). */
    async function send(text: string) {
        const from = posted.length;
        await view.handle({ type: "send", text });
        const started = ofType("turnStarted", from).pop();
        assert.ok(started, "the turn started");
        return { started, finished: ofType("turnFinished", from).find((m) => m.id === started.id), failed: ofType("turnFailed", from).find((m) => m.id === started.id), from };
    }

    before(async () => {
        api = (await vscode.extensions.getExtension(extensionId)!.activate()) as R1Api;
        server = await ReplayServer.start({ models: ["deepseek-ai/DeepSeek-R1-Zero", R1, "deepseek-r1-distill-qwen-7b"], chat: [{ transcript: "vllm-0.8-reasoning-content" }] });
        label = `${R1} @ 127.0.0.1:${server.port}`;
        capture = captureInputs();
        restores.push(() => capture.restore());

        // The consent modal, answered as the test says; every other message goes to the workbench.
        const w = vscode.window as { showWarningMessage: (...args: unknown[]) => Thenable<unknown> };
        const warn = w.showWarningMessage;
        w.showWarningMessage = (message: unknown, ...rest: unknown[]) => {
            const options = rest[0] as vscode.MessageOptions | undefined;
            if (typeof message === "string" && options?.modal && message.startsWith("This sends your code to")) {
                consentAsked.push(message);
                return Promise.resolve(consentAnswer);
            }
            return warn.call(vscode.window, message, ...rest);
        };
        restores.push(() => (w.showWarningMessage = warn));

        // Every line the output channel gets (the host's and the model process's).
        const channel = api.log.channel as unknown as Record<string, (...args: unknown[]) => void>;
        for (const m of ["trace", "debug", "info", "warn", "error", "append", "appendLine", "replace"]) {
            const original = channel[m]!;
            channel[m] = (...args: unknown[]) => {
                logged.push(args.map(String).join(" "));
                return original.apply(channel, args);
            };
            restores.push(() => (channel[m] = original));
        }

        const display = api.display;
        const startTurn = display.startTurn.bind(display);
        display.startTurn = (info: ExternalTurnInfo): ExternalTurn => {
            const inner = startTurn(info);
            const rec: (typeof turns)[number] = { info };
            turns.push(rec);
            return {
                progress: (p) => inner.progress(p),
                finish: (result) => { rec.result = result; inner.finish(result); },
                fail: (message) => { rec.failed = message; inner.fail(message); },
                stopped: () => inner.stopped()
            };
        };
        restores.push(() => (display.startTurn = startTurn));

        await api.chat.newChat();
        view = api.chat.connect((m) => posted.push(structuredClone(m))) as typeof view;
        await view.handle({ type: "ready" });
    });

    after(async () => {
        view?.dispose();
        for (const r of restores.reverse()) r();
        for (const e of api.engines.endpoints()) await api.engines.remove(e.id);
        await api.chat.newChat();
        await server?.close();
    });

    it("R1: Select Model's DeepSeek-R1 row → base URL → the served R1 preselected → key: saved, active, named in the status bar", async () => {
        const result = vscode.commands.executeCommand<boolean>("r1.selectModel");
        const picker = await capture.next<Extract<Input, vscode.QuickPick<vscode.QuickPickItem>>>();
        await waitFor(() => !picker.busy && picker.items.length > 1, 60_000, "the model picker stayed busy");
        const row = picker.items.find((i) => i.action?.kind === "serving-engine" && i.action.entryId?.startsWith("deepseek-r1:"));
        assert.ok(row, "the catalog's DeepSeek-R1 row");
        assert.ok(picker.items.some((i) => i.label === "$(plug) Use a remote engine…"));
        await activate(picker, row);
        await accept();

        const urlBox = await capture.next<vscode.InputBox>();
        assert.match(urlBox.prompt ?? "", /serving deepseek-ai\/DeepSeek-R1 /);
        urlBox.value = `127.0.0.1:${server.port}`; // no scheme, no /v1: both added
        await accept();
        const models = await capture.next<Extract<Input, vscode.QuickPick<vscode.QuickPickItem>>>();
        assert.deepEqual(models.items.map((i) => i.label), ["deepseek-ai/DeepSeek-R1-Zero", R1, "deepseek-r1-distill-qwen-7b", "$(edit) Type a model name…"]);
        assert.deepEqual(models.activeItems.map((i) => i.label), [R1], "R1 preselected, not R1-Zero or a distill");
        await accept();
        const keyBox = await capture.next<vscode.InputBox>();
        assert.equal(keyBox.password, true, "the key is typed hidden");
        keyBox.value = KEY;
        await accept();
        assert.equal(await result, true);

        const list = server.requests.find((r) => r.path === "/v1/models");
        assert.ok(list, `GET /v1/models was asked (got ${server.requests.map((r) => r.path).join(", ")})`);
        assert.equal(api.engines.active()?.baseUrl, server.baseUrl);
        assert.equal(api.engines.active()?.model, R1);
        await waitFor(() => api.statusBar.shown.text === `$(cloud) R1 · ${label}`, 5000, `the status bar names the engine (${api.statusBar.shown.text})`);
        const tooltip = api.statusBar.shown.tooltip.replace(/&nbsp;/g, " ").replace(/\\(.)/g, "$1"); // as shown: markdown escapes removed
        assert.match(tooltip, new RegExp(`remote \\(OpenAI-compatible\\) at ${server.baseUrl.replace(/[.]/g, "\\.")}`));
        assert.match(tooltip, /API key: stored in VS Code's secret storage/);
        assert.ok(!tooltip.includes(KEY));
        const header = ofType("status").pop();
        assert.deepEqual([header?.model, header?.text], [R1, `127.0.0.1:${server.port}`], "the chat header names the remote model and where it runs");
    });

    it("a chat turn: asked once before code goes there; the remote thought, then the answer; the key only in the Authorization header", async () => {
        const before = server.chatRequests.length;
        const turn = await send("Write an add function in TypeScript.");
        assert.ok(turn.finished, `the turn finished${turn.failed ? `: ${turn.failed.message}` : ""}`);
        assert.deepEqual(consentAsked, [`This sends your code to http://127.0.0.1:${server.port}.`]);
        assert.equal(turn.started.model, label, "the reply header names the remote model");
        const result = turn.finished.result;
        assert.equal(result.reasoning, addFunctionReply.reasoning);
        assert.equal(result.answer, addFunctionReply.answer);
        assert.equal(result.thoughtState, "ended");
        assert.deepEqual(result.stats.usage, { promptTokens: 21, completionTokens: 85 });
        const progress = posted.slice(turn.from).filter((m): m is Extract<HostToWebview, { type: "progress" }> => m.type === "progress" && m.id === turn.started.id);
        assert.ok(progress.some((m) => m.progress.thought), "the thought streamed to the webview");

        assert.equal(server.chatRequests.length, before + 1);
        const request = server.chatRequests.at(-1)!;
        assert.equal(request.headers.authorization, `Bearer ${KEY}`);
        const body = request.json as { model: string; stream: boolean; messages: Array<{ role: string; content: string }> };
        assert.equal(body.model, R1);
        assert.equal(body.stream, true);
        assert.deepEqual(body.messages, [{ role: "user", content: "Write an add function in TypeScript." }], "no system prompt");

        // The follow-up: no second question; the earlier answer goes back, its thought does not.
        const second = await send("Now make it add three numbers.");
        assert.ok(second.finished, second.failed?.message);
        assert.equal(consentAsked.length, 1, "asked once per endpoint");
        const messages = (server.chatRequests.at(-1)!.json as { messages: Array<{ role: string; content: string }> }).messages;
        assert.deepEqual(messages.map((m) => m.role), ["user", "assistant", "user"]);
        assert.equal(messages[1]!.content, addFunctionReply.answer);
        assert.ok(!JSON.stringify(messages).includes("Okay, the user wants"), "no earlier thought is sent");
    });

    it("Fix with R1 through the remote engine: the remote thought, the diff, Apply, 'Fixed: TS2322 gone'", async () => {
        server.setChat([vllmAnswer(R1, FIX)]);
        const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, "src", "cart.ts");
        const doc = await vscode.workspace.openTextDocument(uri);
        const original = doc.getText();
        assert.ok(original.includes(BROKEN_LINE));
        await vscode.window.showTextDocument(doc);
        const typeError = () => vscode.languages.getDiagnostics(uri).find((d) => String(typeof d.code === "object" ? d.code.value : d.code) === "2322");
        const diagnostic = await waitFor(typeError, 90_000, "TypeScript reports TS2322 in cart.ts");
        try {
            const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
            const fix = actions.find((a) => a.title === "Fix with R1");
            assert.ok(fix?.command);
            const before = turns.length;
            const outcomeP = vscode.commands.executeCommand<FixOutcome>(fix.command.command, ...(fix.command.arguments ?? []));
            const tab = await waitFor(() => proposalTabs()[0], 60_000, "the remote fix opens as a diff");
            const proposal = await vscode.workspace.openTextDocument((tab.input as vscode.TabInputTextDiff).modified);
            assert.equal(proposal.getText(), original.replace(BROKEN_LINE, FIXED_LINE));
            const turn = turns[before]!;
            assert.equal(turn.result?.reasoning, FIX.reasoning, "the remote thought is in the reasoning view");
            assert.equal(turn.result?.answer, FIX.answer);
            const sent = (server.chatRequests.at(-1)!.json as { messages: Array<{ role: string; content: string }> }).messages;
            assert.equal(sent.length, 1);
            assert.ok(sent[0]!.content.includes("error TS2322"), "the diagnostic went to the engine");
            await vscode.commands.executeCommand("r1.applyProposedFix", (tab.input as vscode.TabInputTextDiff).modified);
            const outcome = await outcomeP;
            assert.equal(outcome.status, "applied", outcome.message);
            assert.equal(outcome.message, "Fixed: TS2322 gone, no new problems.");
            assert.equal(consentAsked.length, 1, "no second question for the same endpoint");
        } finally {
            await restoreDocument(doc, original);
        }
    });

    it("Explain Code through the remote engine: the remote thought and the explanation", async () => {
        server.setChat([vllmAnswer(R1, EXPLANATION)]);
        const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, "src", "cart.ts");
        const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
        editor.selection = new vscode.Selection(8, 10, 8, 10);
        const before = turns.length;
        const outcome = await vscode.commands.executeCommand<ExplainOutcome>("r1.explainCode");
        assert.equal(outcome.status, "explained", outcome.message);
        assert.equal(outcome.answer, EXPLANATION.answer);
        assert.equal(turns[before]?.result?.reasoning, EXPLANATION.reasoning);
        assert.match((server.chatRequests.at(-1)!.json as { messages: Array<{ content: string }> }).messages[0]!.content, /Explain `parsePrice`/);
    });

    it("a new endpoint asks again; refused, nothing is sent; switching back from the picker needs no question", async () => {
        consentAnswer = undefined; // the user closes the modal
        const other = `http://localhost:${server.port}`;
        assert.equal(await vscode.commands.executeCommand("r1.useRemoteEngine", { baseUrl: other, model: R1 }), true);
        await waitFor(() => api.statusBar.shown.text === `$(cloud) R1 · ${R1} @ localhost:${server.port}`, 5000, "the status bar names the new engine");
        const before = server.chatRequests.length;
        const turn = await send("Write an add function in TypeScript.");
        assert.ok(turn.failed, "the turn did not run");
        assert.match(turn.failed.message, new RegExp(`^Nothing was sent: sending code to ${other} was not allowed`));
        assert.equal(consentAsked.at(-1), `This sends your code to ${other}.`);
        const explained = await vscode.commands.executeCommand<ExplainOutcome>("r1.explainCode");
        assert.equal(explained.status, "failed");
        assert.equal(server.chatRequests.length, before, "no request reached the server");

        const asked = consentAsked.length;
        const result = vscode.commands.executeCommand<boolean>("r1.selectModel");
        const picker = await capture.next<Extract<Input, vscode.QuickPick<vscode.QuickPickItem>>>();
        await waitFor(() => !picker.busy && picker.items.length > 1, 60_000, "the model picker stayed busy");
        const saved = picker.items.filter((i) => i.action?.kind === "use-remote");
        assert.deepEqual(saved.map((i) => i.label), [`$(cloud) ${R1} @ localhost:${server.port}`, `$(cloud) ${label}`]);
        assert.equal(saved[0]!.description, "active");
        assert.equal(saved[0]!.buttons?.length, 1, "a saved engine can be removed from the picker");
        await activate(picker, saved[1]!);
        await accept();
        assert.equal(await result, true);
        await waitFor(() => api.statusBar.shown.text === `$(cloud) R1 · ${label}`, 5000, "back on the first engine");
        server.setChat([{ transcript: "deepseek-api" }]);
        const again = await send("Write an add function in TypeScript.");
        assert.ok(again.finished, again.failed?.message);
        assert.equal(again.finished.result.answer, addFunctionReply.answer);
        assert.equal(consentAsked.length, asked, "the first endpoint's consent is remembered");
    });

    it("choosing a local model makes the local engine answer again; the remote engine stays saved", async function () {
        const model = join(repoRoot, "test/fixtures/models/r1-scripted.gguf");
        if (!existsSync(model)) this.skip();
        try {
            assert.equal(await vscode.commands.executeCommand("r1.selectModel", model), true);
            assert.equal(api.engines.activeEngine, "local");
            await waitFor(() => !api.statusBar.shown.text.includes("@ 127.0.0.1"), 10_000, `the status bar shows the local model (${api.statusBar.shown.text})`);
            assert.ok(api.engines.endpoints().some((e) => e.label === label), "still saved, to switch back to");
            await waitFor(() => { const m = ofType("status").pop()?.model; return m !== undefined && m !== R1; }, 10_000, "the chat header names the local model");
        } finally {
            await r1().update("modelPath", undefined, vscode.ConfigurationTarget.Global);
        }
    });

    it("removing a saved engine forgets its key and, when no other uses its URL, the consent; the active one falls back to local", async () => {
        const state = new Map<string, unknown>();
        const memento: vscode.Memento = {
            keys: () => [...state.keys()],
            get: <T>(key: string, fallback?: T) => (state.has(key) ? state.get(key) as T : fallback) as T,
            update: async (key: string, value: unknown) => void state.set(key, value)
        };
        const secretValues = new Map<string, string>();
        const secrets = {
            get: async (key: string) => secretValues.get(key),
            keys: async () => [...secretValues.keys()],
            store: async (key: string, value: string) => void secretValues.set(key, value),
            delete: async (key: string) => void secretValues.delete(key),
            onDidChange: new vscode.EventEmitter<vscode.SecretStorageChangeEvent>().event
        } satisfies vscode.SecretStorage;
        const store = new EngineStore(memento, secrets);
        const a = await store.save({ baseUrl: "https://api.deepseek.com/v1", model: "deepseek-reasoner" }, KEY);
        const b = await store.save({ baseUrl: "https://api.deepseek.com/v1", model: "deepseek-chat" }, undefined);
        assert.equal(await store.apiKey(a.id), KEY);
        assert.equal(store.activeEngine, b.id, "the saved one is active");
        await store.grantConsent(a.baseUrl);
        assert.ok(!JSON.stringify([...state.values()]).includes(KEY), "the key is not in globalState");

        await store.remove(b.id);
        assert.equal(store.activeEngine, "local", "the active engine was removed: the local model answers");
        assert.ok(store.hasConsent(a.baseUrl), "another saved engine still uses the URL: consent kept");
        await store.remove(a.id);
        assert.equal(await store.apiKey(a.id), undefined, "its key is gone from SecretStorage");
        assert.ok(!store.hasConsent(a.baseUrl), "asked again if it is ever added back");
        assert.deepEqual(store.endpoints(), []);
        store.dispose();
    });

    it("the API key appears in no log line", () => {
        assert.ok(logged.length > 0, "the output channel was written to");
        assert.deepEqual(logged.filter((l) => l.includes(KEY)), []);
        assert.ok(logged.some((l) => l.includes("secret storage")), "the log says where the key is, not what it is");
    });
});

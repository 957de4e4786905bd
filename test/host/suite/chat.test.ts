// The chat's host side in the real extension host, on the sample workspace's src/cart.ts. A test connection
// stands in for the webview (it records what the host posts and sends what the webview would send); the model is a
// scripted GGUF whose reply each test chose (test/fixtures/cartScripts), so the answer's code is known exactly.
//
// What a user would notice: the attached file goes to the model before the question; a follow-up carries the
// earlier answers but never the thoughts; Regenerate replaces the last reply; Apply opens a diff against the
// attached file and, once accepted, changes it exactly as the answer's code says, in one undoable edit; code that
// is not in the final answer is refused; Insert and Copy; links other than http(s) are refused; Stop while
// thinking keeps the partial thought; a block under a line naming its file goes to that file; New Chat keeps the old chat in the history, from which it comes back whole;
// with no model selected, a downloaded one is used and the user is told.
import * as assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import type { ChatController } from "../../../src/features/chat/chatController";
import type { CodeActionOutcome } from "../../../src/features/chat/chatCodeActions";
import type { ReasonParams, ReasonResult } from "../../../src/shared/lspProtocol";
import type { ContextChip, FileSuggestion, HostToWebview, WebviewToHost } from "../../../src/shared/webviewProtocol";
import { BROKEN_LINE, FIXED_LINE, MONEY_FILE, MONEY_FIXED, MULTI_FILE, RIGHT_FIX, SLOW_RIGHT_FIX } from "../../fixtures/cartScripts";
import { expectedScriptReply, writeScriptedModel } from "../../fixtures/scriptedModel";
import { extensionId, proposalTabs, r1, restoreDocument, selectModelFile, setR1, waitFor } from "./helpers";

interface R1Api {
    modelProcess: { reason: (params: ReasonParams, ...rest: unknown[]) => Promise<ReasonResult> };
    chat: ChatController;
}

/** The code of the answer's first fenced block, as the webview's markdown parser gives it (no final line break). */
function firstBlock(answer: string): string {
    const m = /```[\w-]*\n([\s\S]*?)\n```/.exec(answer);
    assert.ok(m, `the answer has a code block: ${answer}`);
    return m[1]!;
}

describe("Chat: conversation, code blocks, history", function () {
    this.timeout(120_000);
    let api: R1Api;
    let tmp = "";
    let rightFix = "";
    let slow = "";
    let multiFile = "";
    let uri: vscode.Uri;
    let doc: vscode.TextDocument;
    let original = "";
    const posted: HostToWebview[] = [];
    let view: { handle(m: WebviewToHost): Promise<unknown>; dispose(): void };
    const requests: ReasonParams[] = [];
    let restoreReason: (() => void) | undefined;

    const ofType = <T extends HostToWebview["type"]>(type: T, from = 0) =>
        posted.slice(from).filter((m): m is Extract<HostToWebview, { type: T }> => m.type === type);

    async function resetDocument(): Promise<void> {
        await restoreDocument(doc, original);
        await vscode.window.showTextDocument(doc, { preview: false });
    }

    /** Sends a message as the webview does and waits for its turn to end; returns the turn's messages. */
    async function send(text: string): Promise<{ id: string; started: Extract<HostToWebview, { type: "turnStarted" }>; result: ReasonResult; messages: HostToWebview[] }> {
        const from = posted.length;
        await view.handle({ type: "send", text });
        const started = ofType("turnStarted", from).pop();
        assert.ok(started, "the turn started");
        const finished = ofType("turnFinished", from).find((m) => m.id === started.id);
        const failed = ofType("turnFailed", from).find((m) => m.id === started.id);
        assert.ok(finished, `the turn finished${failed ? `: it failed with "${failed.message}"` : ""}`);
        return { id: started.id, started, result: finished.result, messages: posted.slice(from) };
    }

    before(async function () {
        this.timeout(150_000);
        const ext = vscode.extensions.getExtension(extensionId)!;
        api = (await ext.activate()) as R1Api;
        assert.ok(api.chat, "the chat is running");
        tmp = mkdtempSync(join(tmpdir(), "r1-chat-host-"));
        rightFix = join(tmp, "right-fix.gguf");
        slow = join(tmp, "slow-fix.gguf");
        await writeScriptedModel(rightFix, RIGHT_FIX);
        await writeScriptedModel(slow, SLOW_RIGHT_FIX);
        multiFile = join(tmp, "multi-file.gguf");
        await writeScriptedModel(multiFile, MULTI_FILE);
        await setR1("threads", 1);
        await setR1("contextSize", 16384);
        uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, "src", "cart.ts");
        doc = await vscode.workspace.openTextDocument(uri);
        original = doc.getText();
        assert.ok(original.includes(BROKEN_LINE));
        const mp = api.modelProcess;
        const reason = mp.reason.bind(mp);
        mp.reason = (params: ReasonParams, ...rest: unknown[]) => {
            requests.push(structuredClone(params));
            return reason(params, ...rest);
        };
        restoreReason = () => (mp.reason = reason);
        await api.chat.newChat();
        view = api.chat.connect((m) => posted.push(structuredClone(m)));
        await view.handle({ type: "ready" });
        await selectModelFile(rightFix);
    });

    beforeEach(async () => {
        await resetDocument();
    });

    after(async () => {
        view?.dispose();
        restoreReason?.();
        await resetDocument();
        for (const key of ["modelPath", "threads", "contextSize", "thinkingBudget", "modelsFolder"]) await setR1(key, undefined);
        await api.chat.newChat();
        if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    it("a ready webview gets the chat drawn: clear, then context, history, status and busy", () => {
        const types = posted.map((m) => m.type);
        assert.equal(types[0], "clear");
        for (const t of ["context", "history", "status", "busy"]) assert.ok(types.includes(t as HostToWebview["type"]), `${t} in ${types.join(", ")}`);
    });

    it("sends the attached file first (path, language, fenced), then the question; the thought streams, then the answer", async () => {
        const chip = await vscode.commands.executeCommand<ContextChip>("r1.addFileToChat", uri);
        assert.equal(chip.label, "cart.ts");
        assert.deepEqual(ofType("context").pop()?.items.map((c) => c.label), ["cart.ts"], "the chip shows above the prompt box");
        const before = requests.length;
        const turn = await send("Why does parsePrice not compile?");
        const expected = expectedScriptReply(RIGHT_FIX);

        // The request: one user turn, the file before the question, no system prompt.
        assert.equal(requests.length, before + 1);
        const params = requests.at(-1)!;
        assert.equal(params.action, "chat");
        assert.deepEqual(params.turns.map((t) => t.role), ["user"]);
        assert.equal(params.turns[0]!.text, `File \`src/cart.ts\` (TypeScript):\n\n\`\`\`typescript\n${original}\`\`\`\n\nWhy does parsePrice not compile?`);
        assert.equal(params.sampling.thoughtBudget, r1().get<number>("thinkingBudget"));

        // What the webview got: the turn with the model, the budget and the chip; the thought before the answer.
        assert.equal(turn.started.prompt, "Why does parsePrice not compile?");
        assert.equal(turn.started.model, "right-fix");
        assert.equal(turn.started.thoughtBudget, 4096, "the meter can show % of the budget");
        assert.deepEqual(turn.started.context?.map((c) => c.label), ["cart.ts"]);
        const progress = turn.messages.filter((m): m is Extract<HostToWebview, { type: "progress" }> => m.type === "progress" && m.id === turn.id);
        const firstThought = progress.findIndex((m) => (m.progress.thought ?? "") !== "");
        const firstAnswer = progress.findIndex((m) => (m.progress.answer ?? "") !== "");
        // (A fast model's thought and answer may share one batch: the webview applies the thought first.)
        assert.ok(firstThought >= 0 && firstAnswer >= firstThought, `the thought streams before the answer (${firstThought}, ${firstAnswer})`);
        assert.equal(turn.result.reasoning.trim(), expected.thought.trim());
        assert.equal(turn.result.answer.trim(), expected.answer.trim());
        assert.deepEqual(ofType("context").pop()?.items, [], "the chips were sent with the message");
        assert.equal(api.chat.current.turns.at(-1)?.result?.answer, turn.result.answer, "the turn is kept in the conversation");
        assert.equal(ofType("busy").pop()?.busy, false);
    });

    it("a follow-up sends the earlier answer, never the thought; Regenerate sends the same request without its old answer", async () => {
        const first = api.chat.current.turns.at(-1)!;
        const second = await send("And how would you test it?");
        const params = requests.at(-1)!;
        assert.deepEqual(params.turns.map((t) => t.role), ["user", "assistant", "user"]);
        assert.equal(params.turns[0]!.text, first.request);
        assert.equal(params.turns[1]!.text, first.result!.answer, "the earlier answer");
        assert.ok(!params.turns.some((t) => t.text.includes(first.result!.reasoning.trim().slice(0, 40))), "no earlier thought in the request");
        assert.equal(params.turns[2]!.text, "And how would you test it?");

        const from = posted.length;
        assert.equal(await view.handle({ type: "regenerate", id: second.id }), true);
        assert.equal(ofType("turnRemoved", from)[0]?.id, second.id, "the old reply is removed");
        const again = ofType("turnStarted", from)[0]!;
        assert.notEqual(again.id, second.id);
        assert.equal(again.prompt, "And how would you test it?");
        assert.ok(ofType("turnFinished", from).some((m) => m.id === again.id));
        const regen = requests.at(-1)!;
        assert.deepEqual(regen.turns, params.turns, "the same request: history without the replaced answer");
        assert.deepEqual(api.chat.current.turns.map((t) => t.prompt), ["Why does parsePrice not compile?", "And how would you test it?"]);
        // Only the last turn can be regenerated.
        assert.equal(await view.handle({ type: "regenerate", id: first.id }), false);
    });

    it("Apply opens a diff against the attached file; accepted, the file changes exactly as the answer's code says, in one undoable edit", async () => {
        const turn = api.chat.current.turns[0]!;
        const code = firstBlock(turn.result!.answer);
        const pending = view.handle({ type: "codeAction", id: turn.id, action: "apply", blockIndex: 0, lang: "typescript", code }) as Promise<CodeActionOutcome>;
        const tab = await waitFor(() => proposalTabs()[0], 30_000, "the change opens as a diff");
        const input = tab.input as vscode.TabInputTextDiff;
        assert.equal(input.original.toString(), uri.toString(), "against the attached file");
        const expected = original.replace(/export function parsePrice[\s\S]*?\n}\n/, `${code}\n`);
        assert.notEqual(expected, original);
        assert.equal((await vscode.workspace.openTextDocument(input.modified)).getText(), expected, "the diff shows the change");
        assert.equal(doc.getText(), original, "nothing changes before the user accepts");
        await vscode.commands.executeCommand("r1.applyProposedFix");
        const outcome = await pending;
        assert.equal(outcome.status, "applied", outcome.message);
        assert.equal(doc.getText(), expected);
        assert.ok(doc.getText().includes(FIXED_LINE) && !doc.getText().includes(BROKEN_LINE));
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand("undo");
        assert.equal(doc.getText(), original, "one undo step restores the file");
    });

    it("Discard leaves the file as it was; code that is not in the final answer (the thought's, made up) is refused", async () => {
        const turn = api.chat.current.turns[0]!;
        const code = firstBlock(turn.result!.answer);
        const pending = view.handle({ type: "codeAction", id: turn.id, action: "apply", blockIndex: 0, lang: "typescript", code }) as Promise<CodeActionOutcome>;
        await waitFor(() => proposalTabs()[0], 30_000, "the diff opens");
        await vscode.commands.executeCommand("r1.discardProposedFix");
        assert.equal((await pending).status, "discarded");
        assert.equal(doc.getText(), original);
        assert.equal(proposalTabs().length, 0, "the diff is closed by the time the outcome comes");

        const fromThought = turn.result!.reasoning.trim().split("\n")[0]!;
        for (const bad of [fromThought, "export function parsePrice(text: string): number {\n    return eval(text);\n}"]) {
            for (const action of ["apply", "insert", "copy"] as const) {
                const r = await view.handle({ type: "codeAction", id: turn.id, action, blockIndex: 0, lang: "typescript", code: bad }) as CodeActionOutcome;
                assert.equal(r.status, "refused", `${action} of ${JSON.stringify(bad.slice(0, 30))}`);
            }
        }
        const unknown = await view.handle({ type: "codeAction", id: "no-such-turn", action: "apply", blockIndex: 0, lang: "typescript", code }) as CodeActionOutcome;
        assert.equal(unknown.status, "refused");
        assert.equal(proposalTabs().length, 0, "no diff was opened");
        assert.equal(doc.getText(), original);
    });

    it("Insert at Cursor puts the block at the cursor as one undoable edit; Copy puts it on the clipboard", async () => {
        const turn = api.chat.current.turns[0]!;
        const code = firstBlock(turn.result!.answer);
        const editor = await vscode.window.showTextDocument(doc);
        const line = original.split("\n").length - 1; // the empty last line
        editor.selection = new vscode.Selection(line, 0, line, 0);
        const inserted = await view.handle({ type: "codeAction", id: turn.id, action: "insert", blockIndex: 0, lang: "typescript", code }) as CodeActionOutcome;
        assert.equal(inserted.status, "inserted", inserted.message);
        assert.equal(doc.getText(), original + code);
        await vscode.commands.executeCommand("undo");
        assert.equal(doc.getText(), original, "one undo step");

        const copied = await view.handle({ type: "codeAction", id: turn.id, action: "copy", blockIndex: 0, lang: "typescript", code }) as CodeActionOutcome;
        assert.equal(copied.status, "copied", copied.message);
        assert.equal(await vscode.env.clipboard.readText(), code);
    });

    it("links: anything but http(s) is refused at once, without asking", async () => {
        for (const url of ["command:workbench.action.terminal.new", "javascript:alert(1)", "file:///etc/passwd", "vscode://settings", "https://docs.example.com@evil.test/"]) {
            const r = await view.handle({ type: "openLink", url }) as { status: string; message: string };
            assert.equal(r.status, "refused", url);
            assert.match(r.message, /R1 did not open the link/);
        }
    });

    it("@file: suggestions come from the workspace; choosing one attaches it; a chip can be removed", async () => {
        const from = posted.length;
        const items = await view.handle({ type: "queryFiles", requestId: 7, query: "cart" }) as FileSuggestion[];
        assert.equal(items[0]?.path, "src/cart.ts");
        assert.equal(ofType("fileSuggestions", from).pop()?.requestId, 7);
        const chip = await view.handle({ type: "addFile", path: "src/cart.ts" }) as ContextChip;
        assert.equal(chip.detail, "src/cart.ts");
        assert.deepEqual(ofType("context").pop()?.items.map((c) => c.id), [chip.id]);
        assert.equal(await view.handle({ type: "removeContext", id: chip.id }), true);
        assert.deepEqual(ofType("context").pop()?.items, []);
        assert.equal(await view.handle({ type: "addFile", path: "../outside.ts" }), undefined, "paths outside the workspace are not attached");
    });

    it("Add Selection to Chat sends the selected lines with their place; Apply targets that selection", async () => {
        const editor = await vscode.window.showTextDocument(doc);
        const lines = original.split("\n");
        const first = lines.findIndex((l) => l.startsWith("export function parsePrice"));
        editor.selection = new vscode.Selection(first, 0, first + 3, 0);
        const chip = await vscode.commands.executeCommand<ContextChip>("r1.addSelectionToChat");
        assert.equal(chip.label, `cart.ts:${first + 1}-${first + 3}`);
        const turn = await send("Fix this function.");
        const request = requests.at(-1)!.turns.at(-1)!.text;
        assert.ok(request.startsWith(`Selected lines ${first + 1}–${first + 3} of \`src/cart.ts\` (TypeScript):\n\n\`\`\`typescript\n${lines.slice(first, first + 3).join("\n")}\n\`\`\``), request);
        const code = firstBlock(turn.result.answer);
        const pending = view.handle({ type: "codeAction", id: turn.id, action: "apply", blockIndex: 0, lang: "typescript", code }) as Promise<CodeActionOutcome>;
        await waitFor(() => proposalTabs()[0], 30_000, "the diff opens");
        await vscode.commands.executeCommand("r1.applyProposedFix");
        assert.equal((await pending).status, "applied");
        assert.equal(doc.getText(), original.replace(BROKEN_LINE, FIXED_LINE));
    });

    it("a block under a line naming its file applies to that file, not to the code the chat was about", async () => {
        const money = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, "src", "money.ts");
        writeFileSync(money.fsPath, MONEY_FILE);
        await selectModelFile(multiFile);
        try {
            // The chat is about cart.ts (attached earlier); the answer has a block for money.ts, then one for cart.ts.
            const turn = await send("Round the cents too.");
            const codes = [...turn.result.answer.matchAll(/```typescript\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
            assert.deepEqual(codes.length, 2, turn.result.answer);
            const apply = async (blockIndex: number): Promise<{ against: string; outcome: CodeActionOutcome }> => {
                const pending = view.handle({ type: "codeAction", id: turn.id, action: "apply", blockIndex, lang: "typescript", code: codes[blockIndex]! }) as Promise<CodeActionOutcome>;
                const tab = await waitFor(() => proposalTabs()[0], 30_000, `block ${blockIndex} opens as a diff`);
                const against = (tab.input as vscode.TabInputTextDiff).original.toString();
                await vscode.commands.executeCommand("r1.applyProposedFix");
                return { against, outcome: await pending };
            };
            const first = await apply(0);
            assert.equal(first.against, money.toString(), "the money.ts block is proposed for money.ts");
            assert.equal(first.outcome.status, "applied", first.outcome.message);
            const moneyDoc = await vscode.workspace.openTextDocument(money);
            assert.equal(moneyDoc.getText(), `${MONEY_FIXED}\n`);
            assert.equal(doc.getText(), original, "cart.ts is untouched");
            const second = await apply(1);
            assert.equal(second.against, uri.toString(), "the cart.ts block is proposed for cart.ts");
            assert.equal(second.outcome.status, "applied", second.outcome.message);
            assert.equal(doc.getText(), original.replace(BROKEN_LINE, FIXED_LINE));
            await moneyDoc.save();
        } finally {
            await selectModelFile(rightFix);
            rmSync(money.fsPath, { force: true });
        }
    });

    it("Stop while thinking keeps the partial thought in the turn", async () => {
        await selectModelFile(slow);
        await setR1("thinkingBudget", 0);
        const from = posted.length;
        const sending = view.handle({ type: "send", text: "Think about parsePrice for a long time." });
        await waitFor(() => ofType("progress", from).some((m) => (m.progress.thought ?? "").length > 20), 60_000, "the thought streams");
        assert.equal(ofType("busy", from).pop()?.busy, true, "busy while thinking (the Stop button shows)");
        assert.equal(await view.handle({ type: "stop" }), true);
        await sending;
        const started = ofType("turnStarted", from)[0]!;
        const finished = ofType("turnFinished", from).find((m) => m.id === started.id);
        assert.ok(finished, "the turn ends (not fails) when stopped");
        assert.equal(finished.result.stopReason, "abort");
        assert.ok(finished.result.reasoning.startsWith("Okay, let me look at parsePrice."), finished.result.reasoning.slice(0, 80));
        assert.equal(finished.result.answer, "");
        assert.equal(api.chat.current.turns.at(-1)!.result!.reasoning, finished.result.reasoning, "the partial thought is kept in the chat");
        assert.equal(ofType("busy", from).pop()?.busy, false);
        // A follow-up leaves out the stopped exchange (no answer), so the roles still alternate.
        await selectModelFile(rightFix);
        await setR1("thinkingBudget", undefined);
        await send("Short answer please.");
        const roles = requests.at(-1)!.turns.map((t) => t.role);
        for (let i = 1; i < roles.length; i++) assert.notEqual(roles[i], roles[i - 1], roles.join(","));
    });

    it("New Chat keeps the chat in the history; opening it draws every turn again", async () => {
        const old = api.chat.current;
        const oldTurns = old.turns.map((t) => ({ id: t.id, answer: t.result?.answer ?? "" }));
        assert.ok(oldTurns.length >= 3);
        let from = posted.length;
        await view.handle({ type: "newChat" });
        assert.equal(ofType("clear", from).length, 1);
        assert.equal(api.chat.current.turns.length, 0);
        const history = ofType("history", from).pop()!;
        assert.ok(history.items.some((c) => c.id === old.id && c.title === "Why does parsePrice not compile?" && c.turns === oldTurns.length));
        assert.notEqual(history.currentId, old.id);

        from = posted.length;
        assert.equal(await view.handle({ type: "openChat", id: old.id }), true);
        const restored = ofType("turnRestored", from);
        assert.deepEqual(restored.map((m) => m.id), oldTurns.map((t) => t.id));
        assert.deepEqual(restored.map((m) => m.result.answer), oldTurns.map((t) => t.answer));
        assert.equal(restored[0]!.kind, "chat");
        assert.deepEqual(restored[0]!.context?.map((c) => c.label), ["cart.ts"]);
        await api.chat.flushed();
    });

    it("with no model selected, a model already downloaded is used and the turn says so; with none, Select Model is offered", async () => {
        const models = join(tmp, "models");
        mkdirSync(join(models, "someone"), { recursive: true });
        await setR1("modelsFolder", models);
        await setR1("modelPath", undefined);
        await waitFor(() => !r1().get<string>("modelPath"), 5000, "no model selected");

        let from = posted.length;
        await view.handle({ type: "send", text: "Hello?" });
        const failed = ofType("turnFailed", from)[0];
        assert.ok(failed, "the turn fails without a model");
        assert.match(failed.message, /No model is selected\. Run "R1: Select Model"/);

        const downloaded = join(models, "someone", "Scripted-R1-Q4_K_M.gguf");
        copyFileSync(rightFix, downloaded);
        const turn = await send("Hello again?");
        assert.equal(turn.started.model, "Scripted-R1-Q4_K_M");
        const notice = turn.messages.flatMap((m) => (m.type === "progress" ? m.progress.notices ?? [] : [])).find((n) => n.kind === "info");
        assert.ok(notice && notice.kind === "info" && /No model was selected, so R1 uses Scripted-R1-Q4_K_M, downloaded earlier/.test(notice.message), JSON.stringify(notice));
        assert.equal(r1().get<string>("modelPath"), downloaded, "it becomes the selected model");
        assert.ok(turn.result.notices.some((n) => n.kind === "info" && n.message.startsWith("No model was selected")), "the notice stays with the turn");
        from = posted.length;
    });
    it("R1: Open Chat in Editor opens one editor tab with the chat (a second call reveals it)", async () => {
        const panels = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith("r1.chatPanel"));
        const active = () => vscode.window.tabGroups.activeTabGroup.activeTab;
        await vscode.commands.executeCommand("r1.openChatInEditor");
        const tab = await waitFor(() => panels()[0], 30_000, "the chat opens as an editor tab");
        assert.equal(tab.label, "R1 Chat");
        // The file in front again, then the command once more: the chat tab comes to the front. A second tab would
        // be listed by the time it is in front, so the count is checked at that moment, not after some time.
        await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
        await waitFor(() => active()?.input instanceof vscode.TabInputText, 30_000, "cart.ts is the active tab");
        await vscode.commands.executeCommand("r1.openChatInEditor");
        await waitFor(() => panels().includes(active()!), 30_000, "the chat tab is active again");
        assert.equal(panels().length, 1, "one chat tab");
        await vscode.window.tabGroups.close(panels());
        await waitFor(() => panels().length === 0, 30_000, "the chat tab closes");
    });
});

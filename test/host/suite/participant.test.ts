// The @r1 chat participant in the real extension host, its handler driven through the API: code-server 1.139's
// Chat view cannot send a request to a participant without a language model that can call tools (Copilot), see
// test/host/README.md. The handler gets a real ChatRequest shape (real Uri/Location references, the model from
// vscode.lm) and a recorder with ChatResponseStream's methods. /explain: the thought shows as progress, folds to one
// line, then the answer (no thought text in it), and "Show Full Thinking" puts the whole thought in R1's view;
// /fix on a #file: "Review and Apply Fix" goes through Fix with R1's diff review and diagnostic verification;
// a follow-up sends the earlier exchange from context.history (the model process counts the longer prompt).
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import type { R1ExtensionApi } from "../../../src/extension";
import type { FixOutcome } from "../../../src/features/fix/fixWithR1";
import type { R1ReplyMetadata } from "../../../src/features/participant/r1Participant";
import { EXPLAIN, FIXED_LINE, RIGHT_FIX } from "../../fixtures/cartScripts";
import { expectedScriptReply, writeScriptedModel } from "../../fixtures/scriptedModel";
import { typeError } from "./fixSession";
import { extensionId, proposalTabs, restoreDocument, selectModelFile, setR1, waitFor } from "./helpers";

type Recorded =
    | { kind: "markdown"; value: string }
    | { kind: "progress"; value: string }
    | { kind: "button"; command: vscode.Command }
    | { kind: "reference" | "anchor" | "filetree" | "push" };

/** A ChatResponseStream that records what the participant sends, in order. */
function recorder(): { stream: vscode.ChatResponseStream; parts: Recorded[] } {
    const parts: Recorded[] = [];
    const stream: vscode.ChatResponseStream = {
        markdown: (v) => void parts.push({ kind: "markdown", value: typeof v === "string" ? v : v.value }),
        progress: (value) => void parts.push({ kind: "progress", value }),
        button: (command) => void parts.push({ kind: "button", command }),
        reference: () => void parts.push({ kind: "reference" }),
        anchor: () => void parts.push({ kind: "anchor" }),
        filetree: () => void parts.push({ kind: "filetree" }),
        push: () => void parts.push({ kind: "push" })
    };
    return { stream, parts };
}

async function request(command: string | undefined, prompt: string, references: vscode.ChatPromptReference[]): Promise<vscode.ChatRequest> {
    const [model] = await vscode.lm.selectChatModels({ vendor: "r1-reasoner" });
    assert.ok(model, "R1's model is there for the request");
    return { prompt, command, references, toolReferences: [], toolInvocationToken: undefined as never, model } as vscode.ChatRequest;
}

const markdown = (parts: Recorded[]): string => parts.flatMap((p) => (p.kind === "markdown" ? [p.value] : [])).join("");
const buttons = (parts: Recorded[]): vscode.Command[] => parts.flatMap((p) => (p.kind === "button" ? [p.command] : []));

describe("@r1 chat participant (handler driven through the API)", function () {
    this.timeout(120_000);
    let api: R1ExtensionApi;
    let tmp: string;
    let uri: vscode.Uri;
    let doc: vscode.TextDocument;
    let original: string;

    before(async () => {
        api = (await vscode.extensions.getExtension(extensionId)!.activate()) as R1ExtensionApi;
        tmp = mkdtempSync(join(tmpdir(), "r1-participant-host-"));
        await setR1("threads", 1);
        uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, "src", "cart.ts");
        doc = await vscode.workspace.openTextDocument(uri);
        original = doc.getText();
        await vscode.window.showTextDocument(doc);
    });

    after(async () => {
        await restoreDocument(doc, original);
        await setR1("threads", undefined);
        rmSync(tmp, { recursive: true, force: true });
    });

    it("/explain on a selection: the thought as progress, folded to one line, then the answer; Show Full Thinking", async () => {
        const path = join(tmp, "explain.gguf");
        await writeScriptedModel(path, EXPLAIN);
        await selectModelFile(path);
        const expected = expectedScriptReply(EXPLAIN);
        const line = original.split("\n").findIndex((l) => l.includes("function parsePrice"));
        const selection = new vscode.Location(uri, new vscode.Range(line, 0, line + 3, 0));
        const { stream, parts } = recorder();
        const result = await api.participant!.handle(await request("explain", "", [{ id: "vscode.implicit.selection", range: undefined, value: selection } as vscode.ChatPromptReference]), { history: [] }, stream, new vscode.CancellationTokenSource().token);

        const firstAnswer = parts.findIndex((p) => p.kind === "markdown" && p.value.includes("parsePrice"));
        const progress = parts.slice(0, firstAnswer).filter((p) => p.kind === "progress");
        assert.ok(progress.length > 0, "progress while the model thinks");
        assert.ok(progress.every((p) => p.kind === "progress" && /^(Thinking|Answering) \(\d+/.test(p.value)), JSON.stringify(progress));
        const text = markdown(parts);
        assert.match(text, /^\*Thought for [\d.]+ s · \d+ tokens\*\n\n/, "the thought folds to one line before the answer");
        assert.equal(text.replace(/^\*Thought for [^*]+\*\n\n/, "").trim(), expected.answer.trim(), "then the answer, exactly");
        assert.ok(!text.includes("parsePrice trims the text") && !text.includes(" s42"), "no thought text in the reply");
        const show = buttons(parts).find((b) => b.title === "Show Full Thinking");
        assert.ok(show, "a button opens the full thinking");
        const meta = (result as { metadata: { r1: R1ReplyMetadata } }).metadata.r1;
        assert.equal(meta.answer.trim(), expected.answer.trim());

        assert.equal(await vscode.commands.executeCommand(show.command, ...(show.arguments ?? [])), true);
        const turn = await waitFor(() => api.chat?.current.turns.find((t) => t.result?.reasoning.trim() === expected.thought.trim()), 30_000, "the whole thought is a turn of R1's view");
        assert.equal(turn.result!.answer.trim(), expected.answer.trim());
    });

    it("/fix on a #file: Review and Apply Fix opens Fix with R1's diff, applies on Apply and verifies the diagnostics", async () => {
        const path = join(tmp, "fix.gguf");
        await writeScriptedModel(path, RIGHT_FIX);
        await selectModelFile(path);
        await waitFor(() => typeError(uri), 90_000, "TypeScript reports TS2322 in cart.ts");
        const { stream, parts } = recorder();
        await api.participant!.handle(await request("fix", "", [{ id: "vscode.file", range: undefined, value: uri } as vscode.ChatPromptReference]), { history: [] }, stream, new vscode.CancellationTokenSource().token);
        assert.ok(markdown(parts).includes(FIXED_LINE.trim()), "the answer shows the fixed line");
        assert.equal(doc.getText(), original, "nothing is applied by the answer itself");
        const apply = buttons(parts).find((b) => b.title === "Review and Apply Fix");
        assert.ok(apply, "a button applies the fix through the review");

        const pending = vscode.commands.executeCommand<FixOutcome>(apply.command, ...(apply.arguments ?? []));
        await waitFor(() => proposalTabs().length === 1, 30_000, "the diff review of the fix opens");
        await vscode.commands.executeCommand("r1.applyProposedFix");
        const outcome = await pending;
        assert.equal(outcome.status, "applied", outcome.message);
        assert.equal(outcome.verification?.verdict, "fixed", outcome.message);
        assert.ok(doc.getText().includes(FIXED_LINE), "the fix is in the document");
        assert.equal(proposalTabs().length, 0, "no diff is left open");
        await restoreDocument(doc, original);
    });

    it("a follow-up sends the earlier exchange from context.history", async () => {
        const path = join(tmp, "explain.gguf");
        await selectModelFile(path);
        const ask = async (history: vscode.ChatContext["history"]): Promise<R1ReplyMetadata> => {
            const { stream } = recorder();
            const r = await api.participant!.handle(await request(undefined, "What does parsePrice return?", []), { history }, stream, new vscode.CancellationTokenSource().token);
            return (r as { metadata: { r1: R1ReplyMetadata } }).metadata.r1;
        };
        const first = await ask([]);
        assert.equal(first.historyTurns, 0);
        // What VS Code passes back: the earlier request, and the response with the ChatResult this handler returned.
        const history = [
            { prompt: "What does parsePrice return?", command: undefined, references: [], participant: "r1-reasoner.r1", toolReferences: [] },
            { response: [], result: { metadata: { r1: first } }, participant: "r1-reasoner.r1", command: undefined }
        ] as unknown as vscode.ChatContext["history"];
        const second = await ask(history);
        assert.equal(second.historyTurns, 2, "the earlier question and answer go with it");
        assert.ok(second.promptTokens > first.promptTokens + 10, `the model process got the longer conversation (${first.promptTokens} → ${second.promptTokens} tokens)`);
    });
});

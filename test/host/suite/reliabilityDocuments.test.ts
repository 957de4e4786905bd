// Reliability: the document a request is about is edited, closed, renamed or deleted while the model thinks (Fix with
// R1, Explain Code, the chat's Apply), in the real extension host with a scripted model. The step is done before the
// extension gets the model's answer (FixSession.holdReply), so the order is the test's, never the machine's.
// What the user would notice: no edit ever lands on the wrong text or the wrong file; a file that was deleted is not
// brought back by an edit; a renamed file gets the fix only where its code is; each refusal says why; no diff is left.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { CodeActionOutcome } from "../../../src/features/chat/chatCodeActions";
import type { ChatController } from "../../../src/features/chat/chatController";
import type { ExplainOutcome } from "../../../src/features/explain/explainCode";
import type { FixOutcome } from "../../../src/features/fix/fixWithR1";
import type { HostToWebview, WebviewToHost } from "../../../src/shared/webviewProtocol";
import { BROKEN_LINE, FIXED_LINE, RIGHT_FIX } from "../../fixtures/cartScripts";
import { FixSession, typeError } from "./fixSession";
import { proposalTabs, waitFor } from "./helpers";

const exists = async (uri: vscode.Uri): Promise<boolean> => vscode.workspace.fs.stat(uri).then(() => true, () => false);

describe("Reliability: the document changes while the model thinks", function () {
    this.timeout(120_000);
    let session: FixSession;
    let chat: ChatController;
    let view: { handle(m: WebviewToHost): Promise<unknown>; dispose(): void };
    const posted: HostToWebview[] = [];
    let n = 0;
    /** Files this test made (removed after it). */
    const made: vscode.Uri[] = [];
    const fixedText = (): string => session.original.replace(BROKEN_LINE, FIXED_LINE);
    const src = (name: string) => vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, "src", name);

    /** A fresh copy of cart.ts (a new name each time), open in the editor, with TypeScript's TS2322 reported on it. */
    async function freshCopy(): Promise<{ uri: vscode.Uri; doc: vscode.TextDocument }> {
        const uri = src(`cartCopy${++n}.ts`);
        made.push(uri, src(`cartCopy${n}Renamed.ts`));
        await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(session.original));
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(doc, { preview: false });
        await waitFor(() => typeError(uri)?.range.start.line === session.brokenLine, 60_000, `TypeScript reports TS2322 in ${uri.path}`);
        return { uri, doc };
    }

    async function fixWithR1(uri: vscode.Uri): Promise<FixOutcome> {
        const diagnostic = typeError(uri)!;
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
        const fix = actions.find((a) => a.title === "Fix with R1");
        assert.ok(fix?.command, "Fix with R1 is offered");
        return vscode.commands.executeCommand<FixOutcome>(fix.command.command, ...(fix.command.arguments ?? []));
    }

    /** The steps a user takes while the model thinks. */
    const steps = {
        delete: async (uri: vscode.Uri) => {
            await vscode.workspace.fs.delete(uri);
            assert.equal(await exists(uri), false);
        },
        rename: async (uri: vscode.Uri) => {
            const we = new vscode.WorkspaceEdit();
            we.renameFile(uri, uri.with({ path: uri.path.replace(/\.ts$/, "Renamed.ts") }));
            assert.ok(await vscode.workspace.applyEdit(we), "renamed");
            assert.equal(await exists(uri), false);
        },
        close: async (uri: vscode.Uri) => {
            const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
            await vscode.window.tabGroups.close(tabs);
            await waitFor(() => !vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString()), 10_000, "the editor is closed");
        }
    };

    /** After the outcome: the old path is not brought back, a renamed file has its code or the exact fix, no diff is open. */
    async function nothingWrong(uri: vscode.Uri, step: keyof typeof steps): Promise<void> {
        assert.equal(proposalTabs().length, 0, "no diff is left open");
        const renamed = uri.with({ path: uri.path.replace(/\.ts$/, "Renamed.ts") });
        if (step === "delete") assert.equal(await exists(uri), false, "the deleted file is not brought back");
        if (step === "rename") {
            assert.equal(await exists(uri), false, "the old name is not brought back");
            const text = (await vscode.workspace.openTextDocument(renamed)).getText();
            assert.ok(text === session.original || text === fixedText(), `the renamed file has its code or the exact fix:\n${text}`);
        }
    }

    before(async () => {
        session = await FixSession.open("reliabilityDocuments");
        await session.useModel(RIGHT_FIX, "right");
        chat = (session.api as unknown as { chat: ChatController }).chat;
        await chat.newChat();
        view = chat.connect((m) => posted.push(structuredClone(m)));
        await view.handle({ type: "ready" });
    });

    afterEach(async () => {
        session.holdReply = undefined;
        for (let round = 0; round < 3 && proposalTabs().length > 0; round++) await vscode.window.tabGroups.close(proposalTabs()).then(undefined, () => undefined);
        for (const uri of made.splice(0)) {
            for (const d of vscode.workspace.textDocuments.filter((x) => x.uri.toString() === uri.toString() && x.isDirty)) await d.save().then(undefined, () => undefined);
            if (await exists(uri)) await vscode.workspace.fs.delete(uri);
        }
    });

    after(async () => {
        view?.dispose();
        await chat?.newChat();
        await session?.close();
    });

    // Deleted or renamed while the model thinks (or while the diff is open): refused with "…was deleted or renamed…",
    // nothing edited; a renamed file keeps its code (the fix does not follow the rename: run it again there).
    for (const step of ["delete", "rename", "close"] as const) {
        it(`Fix with R1: the file ${step === "close" ? "closed" : `${step}d`} while the model thinks: no edit lands on the wrong text or file`, async () => {
            const { uri } = await freshCopy();
            session.holdReply = () => steps[step](uri);
            const outcomeP = fixWithR1(uri);
            let outcome: FixOutcome;
            if (step === "close") {
                // Closing the editor changes nothing: the fix is proposed on the file and applies exactly.
                const tab = await waitFor(() => proposalTabs()[0], 60_000, "the proposal opens");
                const proposal = await vscode.workspace.openTextDocument((tab.input as vscode.TabInputTextDiff).modified);
                assert.equal(proposal.getText(), fixedText());
                await vscode.commands.executeCommand("r1.applyProposedFix", (tab.input as vscode.TabInputTextDiff).modified);
                outcome = await outcomeP;
                assert.equal(outcome.status, "applied", outcome.message);
                assert.equal((await vscode.workspace.openTextDocument(uri)).getText(), fixedText());
            } else {
                outcome = await outcomeP;
                assert.notEqual(outcome.status, "applied", `nothing is applied to a ${step}d file: ${outcome.message}`);
                assert.match(outcome.message, /deleted|renamed|no longer|moved|not found|closed/i, `the user is told why: ${outcome.message}`);
            }
            await nothingWrong(uri, step);
        });
    }

    it("Fix with R1: the file deleted while its diff is open: Apply changes nothing and says why", async () => {
        const { uri } = await freshCopy();
        const outcomeP = fixWithR1(uri);
        const tab = await waitFor(() => proposalTabs()[0], 60_000, "the proposal opens");
        await steps.delete(uri);
        await vscode.commands.executeCommand("r1.applyProposedFix", (tab.input as vscode.TabInputTextDiff).modified);
        const outcome = await outcomeP;
        assert.equal(outcome.status, "refused", outcome.message);
        assert.match(outcome.message, /deleted or renamed/, `the user is told why: ${outcome.message}`);
        await waitFor(() => proposalTabs().length === 0, 10_000, "the diff closes");
        await nothingWrong(uri, "delete");
    });

    it("Explain Code: the file deleted while the model thinks: the explanation is shown, the file stays deleted", async () => {
        const { uri, doc } = await freshCopy();
        session.holdReply = () => steps.delete(uri);
        const range = new vscode.Range(0, 0, doc.lineCount, 0);
        const outcome = await vscode.commands.executeCommand<ExplainOutcome>("r1.explainCode", uri, range);
        assert.equal(outcome.status, "explained", outcome.message);
        await nothingWrong(uri, "delete");
    });

    for (const step of ["delete", "rename", "close"] as const) {
        it(`chat Apply: the attached file ${step === "close" ? "closed" : `${step}d`} while the model thinks: no edit lands on the wrong text or file`, async () => {
            const { uri } = await freshCopy();
            await chat.context.addChosenFile(vscode.workspace.asRelativePath(uri, false));
            session.holdReply = () => steps[step](uri);
            const from = posted.length;
            await view.handle({ type: "send", text: "Fix parsePrice." });
            const finished = posted.slice(from).find((m): m is Extract<HostToWebview, { type: "turnFinished" }> => m.type === "turnFinished");
            assert.ok(finished, "the turn finished");
            const code = /```typescript\n([\s\S]*?)\n```/.exec(finished.result.answer)![1]!;
            const pending = view.handle({ type: "codeAction", id: finished.id, action: "apply", blockIndex: 0, lang: "typescript", code }) as Promise<CodeActionOutcome>;
            if (step === "close") {
                const tab = await waitFor(() => proposalTabs()[0], 30_000, "the change opens as a diff");
                assert.equal((tab.input as vscode.TabInputTextDiff).original.toString(), uri.toString(), "against the attached file");
                await vscode.commands.executeCommand("r1.applyProposedFix");
                const outcome = await pending;
                assert.equal(outcome.status, "applied", outcome.message);
                assert.equal((await vscode.workspace.openTextDocument(uri)).getText(), fixedText(), "the exact fix, on the attached file");
            } else {
                const outcome = await Promise.race([pending, waitFor(() => proposalTabs()[0], 30_000, "").then((t) => t, () => undefined)]);
                if (outcome && "input" in outcome) {
                    // A diff opened: it must be against a file that exists and holds this code, and applying it must be exact.
                    const against = (outcome.input as vscode.TabInputTextDiff).original;
                    assert.notEqual(against.toString(), uri.toString(), `no change is proposed for the ${step}d path`);
                    await vscode.commands.executeCommand("r1.discardProposedFix");
                    await pending;
                } else {
                    const o = outcome as CodeActionOutcome;
                    assert.equal(o.status, "refused", o.message);
                    assert.match(o.message, /deleted or renamed/, `the user is told why: ${o.message}`);
                }
            }
            await nothingWrong(uri, step);
        });
    }
});

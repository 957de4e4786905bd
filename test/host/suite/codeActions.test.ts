// "Fix with R1" and "R1: Explain Code" in the real extension host, on the sample workspace's src/cart.ts, whose
// type error (TS2322: parsePrice returns a string) comes from VS Code's own TypeScript server. The model is a
// scripted GGUF written by each test (test/fixtures/scriptedModel): its reply is exactly what the test chose, so
// a right fix, a wrong fix, a thought that never ends and an explanation are each reproducible.
//
// What the user would notice is checked: the quick fix is offered and costs nothing until chosen; the chosen fix
// opens a diff (the proposal is a virtual document beside the file), and Apply changes the file in one undoable
// edit; the verification reads the TypeScript server's new diagnostics and says "Fixed: TS2322 gone" or "TS2322
// is still there", and the diff is gone by then; cancelling keeps the partial thought and changes nothing;
// Explain Code streams its thought and answer into the reasoning view. (A document edited while the model thinks:
// fixWhileEditing.test.ts.)
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { FixCodeActionProvider } from "../../../src/features/fix/fixProvider";
import type { FixOutcome } from "../../../src/features/fix/fixWithR1";
import type { ExplainOutcome } from "../../../src/features/explain/explainCode";
import { proposalTabs, setR1, waitFor } from "./helpers";
import { FixSession, typeError } from "./fixSession";
import { BROKEN_LINE, EXPLAIN, FIXED_LINE, RIGHT_FIX, SLOW_RIGHT_FIX, WRONG_FIX, WRONG_LINE } from "../../fixtures/cartScripts";
import { expectedScriptReply } from "../../fixtures/scriptedModel";
import { r1ReplyPieces } from "../../fixtures/scriptPieces";

describe("Code actions: Fix with R1 and Explain Code", function () {
    this.timeout(150_000);
    let session: FixSession;
    let uri: vscode.Uri;
    let doc: vscode.TextDocument;
    let original = "";
    let turns: FixSession["turns"];
    const useModel = (spec: Parameters<FixSession["useModel"]>[0], name: string) => session.useModel(spec, name);
    const chooseFixWithR1 = () => session.chooseFixWithR1();
    const proposalShown = (timeoutMs?: number) => session.proposalShown(timeoutMs);

    before(async function () {
        session = await FixSession.open("codeActions");
        ({ uri, doc, original, turns } = session);
    });

    beforeEach(async () => {
        await session.reset();
    });

    after(async () => {
        await session?.close();
    });

    it("offers 'Fix with R1' on the TypeScript error (not preferred) and 'Fix all in file with R1', at no cost", async () => {
        const diagnostic = typeError(uri)!;
        const calls = session.reasonCalls;
        const t0 = Date.now();
        const quick = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
        const ms = Date.now() - t0;
        const fix = quick.find((a) => a.title === "Fix with R1");
        assert.ok(fix, `quick fixes: ${quick.map((a) => a.title).join(", ")}`);
        assert.equal(fix.kind?.value, "quickfix");
        assert.ok(!fix.isPreferred, "never the preferred fix (Ctrl+. then Enter must not start a model run)");
        assert.equal(fix.command?.command, "r1.fixDiagnostic");
        const source = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", uri, diagnostic.range, "source");
        const all = source.find((a) => a.title === "Fix all in file with R1");
        assert.ok(all, `source actions: ${source.map((a) => a.title).join(", ")}`);
        assert.equal(all.kind?.value, "source.r1.fixAll", "not source.fixAll: codeActionsOnSave must never start a model run");
        assert.equal(session.reasonCalls, calls, "no model request while providing code actions");
        assert.equal(turns.length, 0, "nothing shown in the reasoning view");
        console.log(`[codeActions] executeCodeActionProvider (all providers, TypeScript's included) took ${ms} ms`);

        // The provider itself reads nothing of the document but its URI.
        const touched = new Set<string>();
        const spy = new Proxy(doc, { get(target, prop, receiver) { touched.add(String(prop)); return Reflect.get(target, prop, receiver) as unknown; } });
        const provider = new FixCodeActionProvider();
        const p0 = process.hrtime.bigint();
        for (let i = 0; i < 1000; i++) {
            provider.provideCodeActions(spy, diagnostic.range, { diagnostics: [diagnostic], triggerKind: vscode.CodeActionTriggerKind.Invoke, only: undefined });
            provider.provideCodeActions(spy, diagnostic.range, { diagnostics: [diagnostic], triggerKind: vscode.CodeActionTriggerKind.Invoke, only: vscode.CodeActionKind.Source });
        }
        const perCallUs = Number(process.hrtime.bigint() - p0) / 2000 / 1000;
        assert.deepEqual([...touched].sort(), ["uri"], "only the uri is read (no getText, not even lineCount)");
        assert.ok(perCallUs < 500, `provideCodeActions took ${perCallUs.toFixed(1)} µs per call`);
        console.log(`[codeActions] provideCodeActions: ${perCallUs.toFixed(1)} µs per call`);
        assert.equal(session.reasonCalls, calls);
    });

    it("a right fix: streamed, shown as a diff, applied as one undoable edit, verified 'Fixed: TS2322 gone'", async () => {
        await useModel(RIGHT_FIX, "right");
        const turnsBefore = turns.length;
        const outcomeP = (await chooseFixWithR1()).outcome;
        const { tab, proposal } = await proposalShown();
        const expected = original.replace(BROKEN_LINE, FIXED_LINE);
        assert.equal(proposal.getText(), expected, "the right side is the file with the fix");
        assert.equal(doc.getText(), original, "nothing applied before the user accepts");
        assert.equal(tab.label.includes("R1's fix for TS2322"), true, `diff title: ${tab.label}`);

        // The reasoning view got the thought live, then the answer; the turn links the code.
        const turn = turns[turnsBefore]!;
        assert.equal(turn.info.kind, "fix");
        assert.equal(turn.info.title, "Fix TS2322 in cart.ts:9");
        assert.equal(turn.info.source?.uri.toString(), uri.toString());
        assert.deepEqual([turn.info.source?.range.start.line, turn.info.source?.range.end.line], [6, 9]);
        assert.ok(turn.info.prompt.includes("error TS2322"), "the prompt carries the diagnostic");
        const expectedReply = expectedScriptReply(RIGHT_FIX);
        assert.equal(turn.result?.reasoning.trim(), expectedReply.thought.trim());
        assert.equal(turn.answer, turn.result?.answer);
        assert.ok(turn.progress.some((p) => p.progress.thought), "the thought streamed");

        await vscode.commands.executeCommand("r1.applyProposedFix", (tab.input as vscode.TabInputTextDiff).modified);
        const outcome = await outcomeP;
        assert.equal(outcome.status, "applied", outcome.message);
        assert.equal(doc.getText(), expected);
        assert.equal(outcome.verification?.verdict, "fixed", outcome.message);
        assert.equal(outcome.message, "Fixed: TS2322 gone, no new problems.");
        assert.equal(outcome.retryId, undefined, "no retry offered for a working fix");
        console.log(`[codeActions] right fix verified in ${outcome.verificationMs} ms after Apply`);
        assert.equal(typeError(uri), undefined, "TypeScript no longer reports TS2322");
        assert.equal(proposalTabs().length, 0, "the diff is closed by the time the outcome comes");

        // One undoable edit: one Undo brings the original back.
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand("undo");
        assert.equal(doc.getText(), original, "one undo restores the file");
    });

    it("a wrong fix: applied on Apply, then verified 'TS2322 is still there', with one retry that tells the model", async () => {
        await useModel(WRONG_FIX, "wrong");
        const outcomeP = (await chooseFixWithR1()).outcome;
        const { tab } = await proposalShown();
        await vscode.commands.executeCommand("r1.applyProposedFix", (tab.input as vscode.TabInputTextDiff).modified);
        const outcome = await outcomeP;
        assert.equal(outcome.status, "applied");
        assert.equal(doc.getText(), original.replace(BROKEN_LINE, WRONG_LINE));
        assert.equal(outcome.verification?.verdict, "notFixed", outcome.message);
        assert.equal(outcome.message, "TS2322 is still there.");
        console.log(`[codeActions] wrong fix verified in ${outcome.verificationMs} ms after Apply`);
        assert.ok(outcome.retryId, "one retry is offered");

        // The retry sends the file as the failed fix left it and says what is still wrong; it offers no second retry.
        // (This time the model answers right.)
        await useModel(RIGHT_FIX, "right");
        const turnsBefore = turns.length;
        const retryP = vscode.commands.executeCommand<FixOutcome>("r1.fix.retry", outcome.retryId);
        const { tab: tab2, proposal } = await proposalShown();
        const retryTurn = turns[turnsBefore]!;
        assert.equal(retryTurn.info.title, "Retry: fix TS2322 in cart.ts:9");
        assert.match(retryTurn.info.prompt, /did not work:\n- still there: error TS2322 \(ts\) at line 9, column \d+: Type 'string' is not assignable to type 'number'\./);
        assert.ok(retryTurn.info.prompt.includes(WRONG_LINE), "the prompt holds the code with the failed fix");
        assert.equal(proposal.getText(), original.replace(BROKEN_LINE, FIXED_LINE));
        await vscode.commands.executeCommand("r1.applyProposedFix", (tab2.input as vscode.TabInputTextDiff).modified);
        const retry = await retryP;
        assert.equal(retry.status, "applied");
        assert.equal(retry.message, "Fixed: TS2322 gone, no new problems.");
        assert.equal(await vscode.commands.executeCommand("r1.fix.retry", outcome.retryId), undefined, "a retry runs once");
    });

    it("Discard (or closing the diff) leaves the document as it is; the palette command fixes the problem at the cursor", async () => {
        await useModel(RIGHT_FIX, "right");
        const first = (await chooseFixWithR1()).outcome;
        const { tab } = await proposalShown();
        await vscode.commands.executeCommand("r1.discardProposedFix", (tab.input as vscode.TabInputTextDiff).modified);
        assert.equal((await first).status, "discarded");
        assert.equal(proposalTabs().length, 0, "the diff is closed by the time the outcome comes");
        // "R1: Fix Problem at Cursor" from the palette: the problem under the cursor.
        const editor = await vscode.window.showTextDocument(doc);
        editor.selection = new vscode.Selection(8, 8, 8, 8);
        const second = vscode.commands.executeCommand<FixOutcome>("r1.fixDiagnostic");
        const shown = await proposalShown();
        await vscode.window.tabGroups.close(shown.tab);
        assert.equal((await second).status, "discarded");
        assert.equal(doc.getText(), original);
    });

    it("an answer whose code holds the model's reasoning is refused, never shown as an edit", async () => {
        const thoughtLine = "The parser keeps the dollar sign out of the result";
        await useModel({
            pieces: r1ReplyPieces({
                thought: [`Okay, the return type is the problem.\n${thoughtLine}`, "\nso Number() is all it needs."],
                answer: ["\n\nHere:", "\n\n```typescript\n", "export function parsePrice(text: string): number {\n", `    ${thoughtLine}\n`, `${FIXED_LINE}\n`, "}\n", "```"]
            }),
            name: "scripted leak"
        }, "leak");
        const outcome = await (await chooseFixWithR1()).outcome;
        assert.equal(outcome.status, "refused");
        assert.match(outcome.message, /^No fix applied: .*line of the model's reasoning \("The parser keeps the dollar sign/);
        assert.equal(proposalTabs().length, 0, "no diff shown");
        assert.equal(doc.getText(), original);
    });

    it("Fix all in file with R1: the whole file comes back, both errors fixed and verified", async () => {
        const extraBroken = 'export const count: number = "3";';
        const extraFixed = "export const count: number = 3;";
        const fixedFile = `${original.replace(BROKEN_LINE, FIXED_LINE)}\n${extraFixed}\n`;
        await useModel({
            pieces: r1ReplyPieces({
                thought: "Two type errors: a string returned as a number, and a string constant typed number.",
                answer: ["\n\nThe corrected file:", "\n\n```typescript\n", fixedFile, "```", "\n\nBoth errors", " are gone."]
            }),
            name: "scripted fix all"
        }, "fixAll");
        const we = new vscode.WorkspaceEdit();
        we.insert(uri, new vscode.Position(doc.lineCount - 1, 0), `\n${extraBroken}\n`);
        assert.ok(await vscode.workspace.applyEdit(we));
        await waitFor(() => vscode.languages.getDiagnostics(uri).length === 2, 60_000, "TypeScript reports both errors");
        const source = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", uri, new vscode.Range(0, 0, 0, 0), "source");
        const all = source.find((a) => a.title === "Fix all in file with R1");
        assert.ok(all?.command);
        const turnsBefore = turns.length;
        const outcomeP = vscode.commands.executeCommand<FixOutcome>(all.command.command, ...(all.command.arguments ?? []));
        const { tab, proposal } = await proposalShown();
        assert.equal(proposal.getText(), fixedFile);
        const turn = turns[turnsBefore]!;
        assert.equal(turn.info.title, "Fix 2 problems in cart.ts");
        assert.match(turn.info.prompt, /Fix these 2 problems:\n- error TS2322 \(ts\) at line 9, .*\n- error TS2322 \(ts\) at line \d+, column 14: /);
        await vscode.commands.executeCommand("r1.applyProposedFix", (tab.input as vscode.TabInputTextDiff).modified);
        const outcome = await outcomeP;
        assert.equal(outcome.status, "applied", outcome.message);
        assert.equal(doc.getText(), fixedFile);
        assert.equal(outcome.message, "Fixed: 2 problems gone (TS2322), no new problems.");
        assert.deepEqual(vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error), []);
    });

    it("cancelling while the model thinks keeps the partial thought and changes nothing", async () => {
        await useModel(SLOW_RIGHT_FIX, "slow");
        await setR1("fix.thinkingBudget", 0);
        let cancelled: Thenable<unknown> | undefined;
        session.onTurnProgress = (turn) => {
            if (!cancelled && turn.thought.length > 100) cancelled = vscode.commands.executeCommand("r1.stopCodeActionRequests");
        };
        const turnsBefore = turns.length;
        const outcome = await (await chooseFixWithR1()).outcome;
        assert.equal(await cancelled, 1, "one request was running");
        assert.equal(outcome.status, "cancelled");
        const turn = turns[turnsBefore]!;
        assert.equal(turn.result?.stopReason, "abort");
        assert.ok((turn.result?.reasoning.length ?? 0) > 100, "the partial thought is kept in the view");
        assert.equal(doc.getText(), original);
        assert.equal(proposalTabs().length, 0);
    });

    it("R1: Explain Code on the function at the cursor streams the thought and the explanation into the view", async () => {
        await useModel(EXPLAIN, "explain");
        const editor = await vscode.window.showTextDocument(doc);
        editor.selection = new vscode.Selection(8, 10, 8, 10); // inside parsePrice, nothing selected
        const turnsBefore = turns.length;
        const outcome = await vscode.commands.executeCommand<ExplainOutcome>("r1.explainCode");
        assert.equal(outcome.status, "explained", outcome.message);
        const turn = turns[turnsBefore]!;
        assert.equal(turn.info.kind, "explain");
        assert.equal(turn.info.title, "Explain parsePrice (cart.ts:7–10)");
        assert.equal(turn.info.source?.uri.toString(), uri.toString());
        assert.deepEqual([turn.info.source?.range.start.line, turn.info.source?.range.end.line], [6, 9], "the function, doc comment included");
        assert.ok(turn.info.prompt.includes("Explain `parsePrice` (lines 7–10):"));
        const expected = expectedScriptReply(EXPLAIN);
        const withThought = turn.progress.filter((p) => p.progress.thought).length;
        const firstThought = turn.progress.findIndex((p) => p.progress.thought);
        const firstAnswer = turn.progress.findIndex((p) => p.progress.answer);
        assert.ok(withThought >= 2, `the thought arrived in ${withThought} progress messages`);
        assert.ok(firstThought >= 0 && firstAnswer > firstThought, "the thought streamed before the answer");
        assert.equal(turn.thought.trim(), expected.thought.trim());
        assert.equal(turn.answer, expected.answer.trimStart(), "the answer streamed (leading blank lines dropped)");
        assert.equal(outcome.answer, turn.answer);
        assert.equal(doc.getText(), original, "explaining changes nothing");

        // A selection is explained as selected, with Explain Code's own thinking budget (r1.explain.thinkingBudget).
        await setR1("explain.thinkingBudget", 20);
        editor.selection = new vscode.Selection(12, 11, 12, 23);
        const before = turns.length;
        const selected = await vscode.commands.executeCommand<ExplainOutcome>("r1.explainCode");
        assert.equal(selected.status, "explained");
        assert.ok(selected.prompt?.includes("Explain line 13:\n\n```typescript\nitems.reduce\n```"), selected.prompt);
        const budgeted = turns[before]!.result!;
        assert.equal(budgeted.thoughtState, "budget", "the thought was closed by r1.explain.thinkingBudget");
        assert.equal(budgeted.stats.thoughtTokens, 20);
        assert.equal(budgeted.answer, expected.answer.trimStart(), "and the answer followed");
    });
});

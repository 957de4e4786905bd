// "Fix all in file with R1" on a file too large to send whole, and the combined quick fix on several diagnostics of
// one line, in the real extension host with VS Code's own TypeScript server and a scripted model
// (test/fixtures/chatPlusScripts).
//
// What a user would notice: on a 1,000-line file with a type error near each end, "Fix all" is offered; each error's
// region goes to the model as its own request showing only the code around it (the model process counts the
// prompt's tokens: far fewer than the file has), each fix opens its own diff, lands where it belongs although the
// first one added a line above the second, and is verified against TypeScript's diagnostics. Two errors on one line
// get one combined "Fix 2 problems here with R1" (one request, one diff, verified against both) besides the single
// fixes, and never more than three R1 entries.
import * as assert from "node:assert/strict";
import { writeFileSync, rmSync } from "node:fs";
import * as vscode from "vscode";
import type { FixOutcome } from "../../../src/features/fix/fixWithR1";
import { BIG_BROKEN, BIG_FIXED, BIG_MIDDLE_LINE, bigFile, COMBINED_FIX, COMBO_FILE, COMBO_FIXED_LINE, REGION_FIX } from "../../fixtures/chatPlusScripts";
import { FixSession } from "./fixSession";
import { proposalTabs, waitFor } from "./helpers";

const errorsOf = (uri: vscode.Uri): vscode.Diagnostic[] =>
    vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);

/** Applies every proposal diff that opens, one after the other, until `done` settles; returns how many were applied. */
async function applyEach<T>(done: Thenable<T>, count: number): Promise<number> {
    let applied = 0;
    for (let i = 0; i < count; i++) {
        const tab = await waitFor(() => proposalTabs()[0], 90_000, `proposal ${i + 1} of ${count} opens as a diff`);
        assert.equal(proposalTabs().length, 1, "one proposal at a time");
        const modified = (tab.input as vscode.TabInputTextDiff).modified;
        await vscode.commands.executeCommand("r1.applyProposedFix", modified);
        applied++;
        // Its diff closes; the next one opens only after this one is applied and verified.
        const open = (): boolean => proposalTabs().some((t) => (t.input as vscode.TabInputTextDiff).modified.toString() === modified.toString());
        await waitFor(() => !open(), 30_000, `proposal ${i + 1} is closed`);
    }
    await done;
    return applied;
}

/** Puts the file back as saved (no "save changes?" dialog), closes its tabs and deletes it. */
async function closeAndRemove(uri: vscode.Uri): Promise<void> {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc?.isDirty) {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand("workbench.action.files.revert");
    }
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
    await vscode.window.tabGroups.close(tabs).then(undefined, () => undefined);
    rmSync(uri.fsPath, { force: true });
}

describe("Fix all on a large file, region by region; the combined quick fix", function () {
    this.timeout(240_000);
    let session: FixSession;
    const folder = () => vscode.workspace.workspaceFolders![0]!.uri;

    before(async function () {
        session = await FixSession.open("fixRegions");
    });

    after(async () => {
        await session?.close();
    });

    it("Fix all in a 1,000-line file: each region sent alone (not the whole file), both fixes land and are verified", async () => {
        const uri = vscode.Uri.joinPath(folder(), "src", "big.ts");
        const text = bigFile();
        writeFileSync(uri.fsPath, text);
        try {
            await session.useModel(REGION_FIX, "region");
            const doc = await vscode.workspace.openTextDocument(uri);
            await vscode.window.showTextDocument(doc);
            await waitFor(() => errorsOf(uri).length === 2, 90_000, "TypeScript reports the two errors of big.ts");
            assert.deepEqual(errorsOf(uri).map((d) => d.range.start.line).sort((a, b) => a - b), [1, 998], "one near each end");

            const source = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", uri, new vscode.Range(0, 0, 0, 0), "source");
            const all = source.find((a) => a.title === "Fix all in file with R1");
            assert.ok(all?.command, `offered on a file of ${doc.lineCount} lines (source actions: ${source.map((a) => a.title).join(", ")})`);
            const turnsBefore = session.turns.length;
            const callsBefore = session.reasonCalls;
            const outcomeP = vscode.commands.executeCommand<FixOutcome>(all.command.command, ...(all.command.arguments ?? []));
            const applied = await applyEach(outcomeP, 2);
            const outcome = await outcomeP;
            assert.equal(applied, 2);

            // Two requests, one per region, each with an excerpt around its region only.
            assert.equal(session.reasonCalls - callsBefore, 2, "one model request per region");
            const turns = session.turns.slice(turnsBefore);
            // The second region is on line 1000 by then: the first fix added a line above it.
            assert.deepEqual(turns.map((t) => t.info.title), ["Fix TS2322 in big.ts:2", "Fix TS2322 in big.ts:1000"]);
            assert.ok(turns[0]!.info.prompt.startsWith("Lines 1–32 of `src/big.ts` (TypeScript, 1001 lines in all):"), turns[0]!.info.prompt.slice(0, 80));
            assert.ok(turns[1]!.info.prompt.startsWith("Lines 970–1002 of `src/big.ts` (TypeScript, 1002 lines in all):"), turns[1]!.info.prompt.slice(0, 80));
            for (const turn of turns) {
                assert.ok(!turn.info.prompt.includes(BIG_MIDDLE_LINE), "the middle of the file is not sent");
                // What the model process received, counted by its tokenizer (one token per byte for the scripted model).
                const received = turn.result!.stats.promptTokens;
                assert.ok(received < text.length / 5, `the model process received ${received} prompt tokens; the file alone has ${text.length} bytes`);
                console.log(`[fixRegions] ${turn.info.title}: ${received} prompt tokens (file: ${text.length} bytes)`);
            }

            // Both fixes where they belong (the second one moved down by the line the first one added), each verified.
            const expected = text.split("\n");
            expected.splice(998, 1, ...BIG_FIXED.split("\n"));
            expected.splice(1, 1, ...BIG_FIXED.split("\n"));
            assert.equal(doc.getText(), expected.join("\n"));
            assert.ok(!doc.getText().includes(BIG_BROKEN));
            assert.equal(outcome.status, "applied", outcome.message);
            assert.deepEqual(outcome.regions?.map((r) => [r.status, r.verification?.verdict]), [["applied", "fixed"], ["applied", "fixed"]]);
            assert.equal(outcome.message, "Fix all in big.ts: 2 regions, 2 applied (2 verified fixed).");
            assert.deepEqual(errorsOf(uri), [], "TypeScript reports no error any more");
        } finally {
            await closeAndRemove(uri);
        }
    });

    it("two errors on one line: one combined fix (one request, one diff) verified against both, besides the single ones", async () => {
        const uri = vscode.Uri.joinPath(folder(), "src", "combo.ts");
        writeFileSync(uri.fsPath, COMBO_FILE);
        try {
            await session.useModel(COMBINED_FIX, "combined");
            const doc = await vscode.workspace.openTextDocument(uri);
            await vscode.window.showTextDocument(doc);
            await waitFor(() => errorsOf(uri).length === 2, 90_000, "TypeScript reports two errors on line 4 of combo.ts");
            const codes = errorsOf(uri).map((d) => `${d.range.start.line}:${String(typeof d.code === "object" ? d.code.value : d.code)}`).sort();
            assert.deepEqual(codes, ["3:2322", "3:2345"]);

            const line = doc.lineAt(3).range;
            const quick = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", uri, line, vscode.CodeActionKind.QuickFix.value);
            const ours = quick.filter((a) => a.title.includes("R1"));
            assert.deepEqual(ours.map((a) => a.title).sort(), ["Fix 2 problems here with R1", "Fix with R1: TS2322", "Fix with R1: TS2345"]);
            assert.ok(ours.every((a) => !a.isPreferred), "never preferred");
            const combined = ours.find((a) => a.title === "Fix 2 problems here with R1")!;
            const args = combined.command?.arguments ?? [];
            assert.ok(Array.isArray(args[1]) && args[1].length === 2, "the combined fix carries both diagnostics");

            const turnsBefore = session.turns.length;
            const callsBefore = session.reasonCalls;
            const outcomeP = vscode.commands.executeCommand<FixOutcome>(combined.command!.command, ...(combined.command!.arguments ?? []));
            const tab = await waitFor(() => proposalTabs()[0], 60_000, "the combined fix opens as one diff");
            const proposal = await vscode.workspace.openTextDocument((tab.input as vscode.TabInputTextDiff).modified);
            assert.equal(proposal.getText(), COMBO_FILE.replace('export const doubled: string = scale("3");', COMBO_FIXED_LINE));
            const turn = session.turns[turnsBefore]!;
            assert.equal(turn.info.title, "Fix 2 problems in combo.ts:4");
            assert.match(turn.info.prompt, /Fix these 2 problems:\n- error TS\d+ \(ts\) at line 4, .*\n- error TS\d+ \(ts\) at line 4, /);
            assert.ok(turn.info.prompt.includes("TS2322") && turn.info.prompt.includes("TS2345"), "both problems are in the one request");
            await vscode.commands.executeCommand("r1.applyProposedFix", (tab.input as vscode.TabInputTextDiff).modified);
            const outcome = await outcomeP;
            assert.equal(session.reasonCalls - callsBefore, 1, "one request");
            assert.equal(outcome.status, "applied", outcome.message);
            assert.equal(outcome.verification?.verdict, "fixed", outcome.message);
            assert.match(outcome.message, /^Fixed: 2 problems gone \((TS2322, TS2345|TS2345, TS2322)\), no new problems\.$/);
            assert.equal(doc.lineAt(3).text, COMBO_FIXED_LINE);
            assert.deepEqual(errorsOf(uri), []);
        } finally {
            await closeAndRemove(uri);
        }
    });
});

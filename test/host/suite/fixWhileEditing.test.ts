// "Fix with R1" on a document the user keeps editing, in the real extension host (src/cart.ts of the sample and
// its TS2322; see fixSession.ts). The edits are made while the request is out: the model's reply reaches the
// extension only once the edit is in the document (FixSession.holdReply), so the order of the user's edit and the
// model's answer is the test's, never the machine's.
//
// What the user would notice: lines added above the function move the fix with them (nothing corrupted); the
// function itself changed while the model thought, or while its diff is open, means no fix: the user is told
// why, the edit is kept, and no diff is left open when the outcome is reported.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { BROKEN_LINE, FIXED_LINE, RIGHT_FIX, SLOW_RIGHT_FIX } from "../../fixtures/cartScripts";
import { FixSession } from "./fixSession";
import { proposalTabs, setR1 } from "./helpers";

const isProposal = (tab: vscode.Tab): boolean => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === "r1-proposal";

describe("Fix with R1 while the user edits the document", function () {
    this.timeout(150_000);
    let session: FixSession;
    /** The sample's text with a line added at the top of parsePrice's body (the code the fix replaces). */
    let withFunctionEdited = "";
    const functionEdit = "    text = text.toUpperCase();\n";

    /** Inserts a line into parsePrice, just above the broken line; resolves when the document has it. */
    const editFunction = () => session.edit(
        (we) => we.insert(session.uri, new vscode.Position(session.brokenLine, 0), functionEdit),
        (text) => text === withFunctionEdited,
        "a line added inside parsePrice"
    );

    before(async () => {
        session = await FixSession.open("fixWhileEditing");
        const lines = session.original.split("\n");
        lines.splice(session.brokenLine, 0, functionEdit.trimEnd());
        withFunctionEdited = lines.join("\n");
    });

    beforeEach(async () => {
        await session.reset();
    });

    after(async () => {
        await session?.close();
    });

    it("lines added above the function while the model thinks: the fix is rebased onto them, nothing corrupted", async () => {
        const { uri, original, turns } = session;
        await session.useModel(SLOW_RIGHT_FIX, "slow");
        await setR1("fix.thinkingBudget", 400);
        const inserted = "// edited while R1 was thinking\n// (two lines)\n";
        let editing: Promise<number> | undefined;
        // The edit starts with the first thought shown and is in the document before the extension gets the answer.
        session.onTurnProgress = (turn) => {
            if (editing || !turn.thought) return;
            editing = session.edit((we) => we.insert(uri, new vscode.Position(0, 0), inserted), (text) => text.startsWith(inserted), "two lines added at the top");
        };
        session.holdReply = async () => {
            assert.ok(editing, "the thought streamed before the answer");
            await editing;
        };
        const turnsBefore = turns.length;
        const outcomeP = (await session.chooseFixWithR1()).outcome;
        const { tab, proposal } = await session.proposalShown(90_000);
        const editedAt = await editing!;
        const turn = turns[turnsBefore]!;
        assert.ok(turn.finishedAt && editedAt <= turn.finishedAt, "the edit was made before the answer came");
        assert.equal(turn.result?.thoughtState, "budget", "the thought was closed by r1.fix.thinkingBudget");
        const expected = inserted + original.replace(BROKEN_LINE, FIXED_LINE);
        assert.equal(proposal.getText(), expected, "the proposal is the edited file with the fix, at the moved lines");
        await vscode.commands.executeCommand("r1.applyProposedFix", (tab.input as vscode.TabInputTextDiff).modified);
        const outcome = await outcomeP;
        assert.equal(outcome.status, "applied", outcome.message);
        assert.equal(session.doc.getText(), expected);
        assert.equal(outcome.verification?.verdict, "fixed", outcome.message);
        assert.equal(proposalTabs().length, 0, "the diff is closed");
    });

    it("the function itself edited while the model thinks: the fix is refused with the reason, the edit kept", async () => {
        await session.useModel(SLOW_RIGHT_FIX, "slow");
        await setR1("fix.thinkingBudget", 400);
        let editing: Promise<number> | undefined;
        session.onTurnProgress = (turn) => {
            if (!editing && turn.thought) editing = editFunction();
        };
        session.holdReply = async () => {
            assert.ok(editing, "the thought streamed before the answer");
            await editing;
        };
        let diffOpened = false;
        const tabs = vscode.window.tabGroups.onDidChangeTabs((e) => (diffOpened ||= e.opened.some(isProposal)));
        try {
            const outcome = await (await session.chooseFixWithR1()).outcome;
            assert.equal(outcome.status, "refused");
            assert.match(outcome.message, /changed while the model was thinking, so it is not applied/);
            assert.equal(session.doc.getText(), withFunctionEdited, "the document is exactly as the user left it");
            assert.equal(diffOpened, false, "no diff was opened");
            assert.equal(proposalTabs().length, 0, "no diff is open");
        } finally {
            tabs.dispose();
        }
    });

    it("the function edited while its diff is open: the proposal is dropped with the reason and its diff closed", async () => {
        await session.useModel(RIGHT_FIX, "right");
        // The user types into the function as soon as the diff shows (the extension hears of both in either order).
        let editing: Promise<number> | undefined;
        const tabs = vscode.window.tabGroups.onDidChangeTabs((e) => {
            if (!editing && e.opened.some(isProposal)) editing = editFunction();
        });
        try {
            const outcome = await (await session.chooseFixWithR1()).outcome;
            assert.ok(editing, "the diff opened");
            await editing;
            assert.equal(outcome.status, "refused");
            assert.match(outcome.message, /changed while the model was thinking, so it is not applied/);
            assert.equal(proposalTabs().length, 0, "the diff is closed by the time the refusal is reported");
            assert.equal(session.doc.getText(), withFunctionEdited, "the document is exactly as the user left it");
        } finally {
            tabs.dispose();
        }
    });
});

// What the "Fix with R1" suites share, on the sample workspace's src/cart.ts and its TypeScript error (TS2322 from
// VS Code's own TypeScript server): a scripted model per test, the turns the features start in the reasoning view
// (recorded through the real display), the model requests (counted; a reply can be held back until the test lets
// it through, so that what the test does "while the model thinks" happens before the extension gets the answer,
// however fast either is), and choosing "Fix with R1" as the quick fix does.
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import type { FixOutcome } from "../../../src/features/fix/fixWithR1";
import type { ExternalTurn, ExternalTurnInfo } from "../../../src/features/reasoning/reasoningDisplay";
import type { ReasonProgress, ReasonResult } from "../../../src/shared/lspProtocol";
import { BROKEN_LINE } from "../../fixtures/cartScripts";
import { writeScriptedModel, type ScriptSpec } from "../../fixtures/scriptedModel";
import { extensionId, proposalTabs, restoreDocument, selectModelFile, setR1, waitFor } from "./helpers";

interface R1Api {
    modelProcess: { reason: (...args: unknown[]) => Promise<ReasonResult> };
    display: { startTurn(info: ExternalTurnInfo): ExternalTurn };
}

export interface RecordedTurn {
    info: ExternalTurnInfo;
    progress: Array<{ at: number; progress: ReasonProgress }>;
    result?: ReasonResult;
    failed?: string;
    /** Stopped before the model process answered (shown as stopped, not failed). */
    stopped?: boolean;
    finishedAt?: number;
    thought: string;
    answer: string;
}

/** The TypeScript error the sample has (TS2322 in parsePrice), if TypeScript reports it now. */
export function typeError(uri: vscode.Uri): vscode.Diagnostic | undefined {
    return vscode.languages.getDiagnostics(uri).find((d) => String(typeof d.code === "object" ? d.code.value : d.code) === "2322");
}

export class FixSession {
    readonly turns: RecordedTurn[] = [];
    /** Called on every progress message of every recorded turn (reset before each test). */
    onTurnProgress: ((turn: RecordedTurn) => void) | undefined;
    /** Awaited after the model has answered and before the extension gets the answer (reset before each test). */
    holdReply: (() => Promise<unknown>) | undefined;
    reasonCalls = 0;
    /** The line of the type error in the sample's text (0-based). */
    readonly brokenLine: number;
    private readonly restores: Array<() => void> = [];

    private constructor(readonly api: R1Api, readonly uri: vscode.Uri, readonly doc: vscode.TextDocument, readonly original: string, private readonly tmp: string) {
        this.brokenLine = original.split("\n").indexOf(BROKEN_LINE);
    }

    /** Activates the extension, opens cart.ts, waits for its type error and starts recording turns and requests. */
    static async open(name: string): Promise<FixSession> {
        const api = (await vscode.extensions.getExtension(extensionId)!.activate()) as R1Api;
        const tmp = mkdtempSync(join(tmpdir(), `r1-${name}-host-`));
        // One thread, as every test here: on a busy machine two threads can decode many times slower than one.
        await setR1("threads", 1);
        const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, "src", "cart.ts");
        const doc = await vscode.workspace.openTextDocument(uri);
        const session = new FixSession(api, uri, doc, doc.getText(), tmp);
        assert.ok(session.original.includes(BROKEN_LINE), "the sample still has its type error");
        await vscode.window.showTextDocument(doc);
        const t0 = Date.now();
        await waitFor(() => typeError(uri), 90_000, "TypeScript reports TS2322 in cart.ts (the built-in TypeScript server)");
        console.log(`[${name}] TypeScript reported TS2322 after ${Date.now() - t0} ms`);
        session.record();
        return session;
    }

    private record(): void {
        const display = this.api.display;
        const startTurn = display.startTurn.bind(display);
        display.startTurn = (info: ExternalTurnInfo): ExternalTurn => {
            const inner = startTurn(info);
            const rec: RecordedTurn = { info, progress: [], thought: "", answer: "" };
            this.turns.push(rec);
            return {
                progress: (p) => {
                    rec.progress.push({ at: Date.now(), progress: p });
                    if (p.answerRetracted) rec.answer = "";
                    rec.thought += p.thought ?? "";
                    rec.answer += p.answer ?? "";
                    this.onTurnProgress?.(rec);
                    inner.progress(p);
                },
                finish(result) {
                    rec.result = result;
                    rec.finishedAt = Date.now();
                    inner.finish(result);
                },
                fail(message) {
                    rec.failed = message;
                    rec.finishedAt = Date.now();
                    inner.fail(message);
                },
                stopped() {
                    rec.stopped = true;
                    rec.finishedAt = Date.now();
                    inner.stopped();
                }
            };
        };
        this.restores.push(() => (display.startTurn = startTurn));
        const mp = this.api.modelProcess;
        const reason = mp.reason.bind(mp);
        mp.reason = async (...args: unknown[]) => {
            this.reasonCalls++;
            const result = await reason(...args);
            await this.holdReply?.();
            return result;
        };
        this.restores.push(() => (mp.reason = reason));
    }

    /** Writes `spec` as a scripted model and selects it. */
    async useModel(spec: ScriptSpec, name: string): Promise<void> {
        const path = join(this.tmp, `${name}.gguf`);
        await writeScriptedModel(path, spec);
        await selectModelFile(path);
    }

    /** Forgets the previous test's hooks, resets the document and waits until TypeScript reports the error again. */
    async reset(): Promise<void> {
        this.onTurnProgress = undefined;
        this.holdReply = undefined;
        await restoreDocument(this.doc, this.original);
        await vscode.window.showTextDocument(this.doc);
        // TypeScript re-checks the restored text: wait for the error at its original place (not a stale one).
        await waitFor(() => typeError(this.uri)?.range.start.line === this.brokenLine, 60_000, `TypeScript reports TS2322 in cart.ts on line ${this.brokenLine + 1}`);
    }

    /** Starts "Fix with R1" on the type error as the quick fix does (its command and arguments). */
    async chooseFixWithR1(): Promise<{ outcome: Thenable<FixOutcome> }> {
        const diagnostic = typeError(this.uri)!;
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", this.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
        const fix = actions.find((a) => a.title === "Fix with R1");
        assert.ok(fix?.command, `"Fix with R1" is offered (got: ${actions.map((a) => a.title).join(", ")})`);
        // Wrapped: an async function would otherwise wait for the outcome itself.
        return { outcome: vscode.commands.executeCommand<FixOutcome>(fix.command.command, ...(fix.command.arguments ?? [])) };
    }

    /** Waits for the proposal's diff; returns its tab and its right side. */
    async proposalShown(timeoutMs = 60_000): Promise<{ tab: vscode.Tab; proposal: vscode.TextDocument }> {
        const tab = await waitFor(() => proposalTabs()[0], timeoutMs, "the proposed fix opens as a diff");
        const input = tab.input as vscode.TabInputTextDiff;
        assert.equal(input.original.toString(), this.uri.toString(), "the diff's left side is the file itself");
        const proposal = await vscode.workspace.openTextDocument(input.modified);
        return { tab, proposal };
    }

    /** Applies `edit` to the document and returns once the document has it (the `done` state is the test's). */
    async edit(change: (we: vscode.WorkspaceEdit) => void, done: (text: string) => boolean, what: string): Promise<number> {
        const we = new vscode.WorkspaceEdit();
        change(we);
        assert.ok(await vscode.workspace.applyEdit(we), `${what}: applied`);
        await waitFor(() => done(this.doc.getText()), 30_000, `${what}: the document has it`);
        return Date.now();
    }

    /** Stops recording, puts the document back and clears the settings the tests change. */
    async close(): Promise<void> {
        for (const restore of this.restores) restore();
        await restoreDocument(this.doc, this.original);
        for (const key of ["modelPath", "fix.thinkingBudget", "explain.thinkingBudget", "threads"]) await setR1(key, undefined);
        rmSync(this.tmp, { recursive: true, force: true });
    }
}

// "Fix with R1" and "Fix all in file with R1" once chosen: ask the model (the thought streams into the reasoning
// view and a cancellable notification), turn the final answer into one proposed edit (proposeEdit: never from
// the thought), show it as a diff to apply or discard, apply it as one undoable edit (rebased when the document
// changed meanwhile, refused when the code it replaces changed), then verify it: wait for the language's
// diagnostics and report whether the problem is gone and whether new ones appeared. A failed fix offers one
// retry that tells the model what went wrong.
import * as vscode from "vscode";
import { noticeText } from "../../core/answer/untrustedText";
import { type FixScope, planFix } from "../../core/fix/codePrompts";
import { type DiagnosticInfo, diagnosticLabel } from "../../core/fix/diagnosticInfo";
import { fixFailed, type FixVerification, rangeAfterEdit, verifyFix } from "../../core/fix/fixVerification";
import { proposeEdit } from "../../core/edit/proposedEdit";
import { rebaseEdit } from "../../core/edit/rebaseEdit";
import type { TextEdit, TextRange } from "../../core/edit/textEdit";
import { currentDiagnostics, watchDiagnostics } from "./diagnosticsWatch";
import type { ProposalReview } from "../review/proposalReview";
import type { ReasoningRequests } from "../reasoning/reasoningRequest";
import type { Services } from "../services";

export interface FixRequest {
    uri: vscode.Uri;
    /** The problems to fix (one for a quick fix, the file's errors and warnings for "fix all"). */
    diagnostics: readonly DiagnosticInfo[];
    scope: FixScope;
    /** "Fix all" on a large file: the region (whole lines, in the document as it is now) this request rewrites. */
    region?: TextRange;
    /** Set on the retry: what the previous attempt left. */
    previousAttempt?: { remaining: DiagnosticInfo[]; newProblems: DiagnosticInfo[] };
}

export type FixStatus = "applied" | "discarded" | "refused" | "cancelled" | "failed" | "noModel";

export interface FixOutcome {
    status: FixStatus;
    /** What the user was told. */
    message: string;
    title?: string;
    /** The prompt sent to the model. */
    prompt?: string;
    /** The proposed edit, against the text the request was made from. */
    edit?: TextEdit;
    verification?: FixVerification;
    /** From applying the edit to a settled result of the diagnostics. */
    verificationMs?: number;
    /** Set when a retry is offered: run it with `r1.fix.retry` and this id (the notification's button does). */
    retryId?: string;
    /** "Fix all" on a large file: the outcome of each region's fix, in document order. */
    regions?: FixOutcome[];
}

const isWhitespaceOnly = (s: string): boolean => s.trim() === "";

export class FixWithR1 implements vscode.Disposable {
    private readonly retries = new Map<string, FixRequest>();
    private nextRetry = 1;

    constructor(
        private readonly services: Services,
        /** The model's answer: a real request, or (the @r1 chat participant's Apply) the answer it already has. */
        private readonly requests: Pick<ReasoningRequests, "run">,
        private readonly review: ProposalReview
    ) {}

    /** Runs a retry offered by an earlier outcome; undefined when the id is unknown (already used). */
    async retry(id: string): Promise<FixOutcome | undefined> {
        const request = this.retries.get(id);
        if (!request) return undefined;
        this.retries.delete(id);
        return this.run(request);
    }

    async run(request: FixRequest): Promise<FixOutcome> {
        const { log } = this.services;
        const document = await vscode.workspace.openTextDocument(request.uri);
        const baseText = document.getText();
        const filePath = vscode.workspace.asRelativePath(document.uri, false);
        const plan = planFix({
            filePath, languageId: document.languageId, documentText: baseText,
            diagnostics: [...request.diagnostics], scope: request.scope,
            ...(request.region ? { region: request.region } : {}),
            ...(request.previousAttempt ? { previousAttempt: request.previousAttempt } : {})
        });
        if (!plan.ok) return this.tell({ status: "refused", message: plan.reason }, "warning");

        const sourceRange = new vscode.Range(plan.target.range.start.line, plan.target.range.start.character, plan.target.range.end.line, plan.target.range.end.character);
        const outcome = await this.requests.run({
            action: "fix",
            prompt: plan.prompt,
            turn: { kind: "fix", title: plan.title, prompt: plan.prompt, source: { uri: document.uri, range: sourceRange } },
            progressTitle: `R1: ${plan.title}`
        });
        const base = { title: plan.title, prompt: plan.prompt };
        if (outcome.kind === "noModel") return { ...base, status: "noModel", message: "No model is selected." };
        if (outcome.kind === "failed") return { ...base, status: "failed", message: outcome.message };
        if (outcome.kind === "cancelled") {
            return this.tell({ ...base, status: "cancelled", message: "Fix cancelled; nothing was changed. The partial reasoning is in the R1 view." }, "info");
        }
        const result = outcome.result;
        if (isWhitespaceOnly(result.answer)) {
            const why = result.thoughtState === "unclosed" ? " (it was still thinking when it stopped: raise r1.fix.thinkingBudget or r1.maxTokens)" : "";
            return this.tell({ ...base, status: "refused", message: `The model gave no answer${why}; nothing was changed.` }, "warning", true);
        }

        // The edit comes from the final answer only; the thought is passed so that an edit containing it is refused.
        const proposal = proposeEdit({
            documentText: baseText, languageId: document.languageId, target: plan.target,
            answer: result.answer, reasoning: result.reasoning, documentPath: document.uri.path
        });
        if (!proposal.ok) {
            log.info(`Fix refused (${proposal.code}): ${proposal.reason}`);
            return this.tell({ ...base, status: "refused", message: `No fix applied: ${proposal.reason}` }, "warning", true);
        }
        const fits = rebaseEdit(baseText, document.getText(), proposal.edit);
        if (!fits.ok) return this.tell({ ...base, status: "refused", message: fits.reason, edit: proposal.edit }, "warning");
        for (const note of proposal.notes) log.info(`Fix note: ${note}`);

        const label = request.diagnostics.length === 1 ? diagnosticLabel(request.diagnostics[0]!) : `${request.diagnostics.length} problems`;
        const fileName = document.uri.path.split("/").pop() ?? filePath;
        const decision = await this.review.review({
            document, baseText, edit: proposal.edit,
            title: vscode.l10n.t("{0} ↔ R1's fix for {1}{2}", fileName, label, lineDeltaNote(proposal.edit, proposal.oldText)),
            notice: `R1's fix for ${label} in ${fileName} is ready: review the diff, then apply or discard it.${proposal.notes.length ? ` ${proposal.notes.join(" ")}` : ""}`
        });
        if (decision.kind === "discard") {
            if (decision.why === "stale") return this.tell({ ...base, status: "refused", message: decision.message ?? "The document changed.", edit: proposal.edit }, "warning");
            return { ...base, status: "discarded", message: "Discarded; nothing was changed.", edit: proposal.edit };
        }

        // Apply as one undoable edit, watching the diagnostics from just before it.
        const before = currentDiagnostics(document.uri);
        const targets = request.diagnostics;
        const watch = watchDiagnostics(document.uri);
        const we = new vscode.WorkspaceEdit();
        const e = decision.edit;
        we.replace(document.uri, new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character), e.newText);
        let applied: boolean;
        try {
            // The document may have changed between the decision and now (another extension): check once more.
            applied = document.getText() === decision.currentText && (await vscode.workspace.applyEdit(we));
        } catch (error) {
            watch.dispose();
            return this.tell({ ...base, status: "failed", message: `The edit could not be applied: ${String(error)}`, edit: proposal.edit }, "error");
        }
        if (!applied) {
            watch.dispose();
            return this.tell({ ...base, status: "refused", message: "The document changed just before the fix was applied; nothing was changed.", edit: proposal.edit }, "warning");
        }
        const appliedVersion = document.version;
        const editedRange = rangeAfterEdit(e);
        void vscode.window.showTextDocument(document, {
            selection: new vscode.Range(editedRange.start.line, editedRange.start.character, editedRange.start.line, editedRange.start.character),
            preserveFocus: false
        }).then(undefined, () => undefined);

        const timeoutMs = this.services.config.fixVerificationTimeoutMs;
        const update = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Window, title: vscode.l10n.t("R1: checking the fix against the language's diagnostics…") },
            () => watch.settled({
                timeoutMs,
                looksFinal: (after) => verifyFix({ targets, before, after, updated: true, editedRange }).verdict === "fixed"
            })
        );
        const verification = verifyFix({ targets, before, after: update.diagnostics, updated: update.updated, editedRange, timeoutMs });
        log.info(`Fix verified in ${update.elapsedMs} ms (${update.events} diagnostics updates): ${verification.message}`);

        const applyOutcome: FixOutcome = { ...base, status: "applied", message: verification.message, edit: proposal.edit, verification, verificationMs: update.elapsedMs };
        if (!fixFailed(verification.verdict)) {
            void vscode.window.showInformationMessage(vscode.l10n.t("R1: {0}", noticeText(verification.message)));
            return applyOutcome;
        }
        const actions: string[] = [];
        let retryId: string | undefined;
        if (!request.previousAttempt) {
            retryId = String(this.nextRetry++);
            this.retries.set(retryId, {
                uri: document.uri,
                diagnostics: [...verification.remaining, ...verification.newProblems],
                scope: request.scope,
                previousAttempt: { remaining: verification.remaining, newProblems: verification.newProblems }
            });
            actions.push(vscode.l10n.t("Retry with R1"));
        }
        actions.push(vscode.l10n.t("Undo Fix"));
        void vscode.window.showWarningMessage(vscode.l10n.t("R1: {0}", noticeText(verification.message)), ...actions).then(async (choice) => {
            if (choice === vscode.l10n.t("Retry with R1") && retryId) await this.retry(retryId);
            else if (choice === vscode.l10n.t("Undo Fix")) await undoIfUnchanged(document, appliedVersion);
        });
        return { ...applyOutcome, ...(retryId ? { retryId } : {}) };
    }

    private tell(outcome: FixOutcome, level: "info" | "warning" | "error", showAnswer = false): FixOutcome {
        const text = `R1: ${noticeText(outcome.message)}`;
        const buttons = showAnswer ? [vscode.l10n.t("Show Reasoning")] : [];
        const shown = level === "info" ? vscode.window.showInformationMessage(text, ...buttons)
            : level === "warning" ? vscode.window.showWarningMessage(text, ...buttons) : vscode.window.showErrorMessage(text, ...buttons);
        void shown.then((choice) => {
            if (choice === vscode.l10n.t("Show Reasoning")) void vscode.commands.executeCommand("r1.chatView.focus");
        });
        return outcome;
    }

    dispose(): void {
        this.retries.clear();
    }
}

/** " (+2 lines)" when the edit changes the number of lines; "" otherwise. */
function lineDeltaNote(edit: TextEdit, oldText: string): string {
    const count = (t: string): number => t.split(/\r\n|\r|\n/).length;
    const d = count(edit.newText) - count(oldText);
    return d === 0 ? "" : ` (${d > 0 ? "+" : "−"}${Math.abs(d)} line${Math.abs(d) === 1 ? "" : "s"})`;
}

/** Undoes the fix when the document is still as the fix left it (so the user's later typing is never undone). */
async function undoIfUnchanged(document: vscode.TextDocument, version: number): Promise<void> {
    if (document.isClosed || document.version !== version) {
        void vscode.window.showWarningMessage(vscode.l10n.t("R1: the document changed after the fix; use Undo in the editor instead."));
        return;
    }
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand("undo");
}

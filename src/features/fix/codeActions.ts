// The code-action features: "Fix with R1" (quick fix), "Fix all in file with R1" (source action), the diff
// review of a proposed fix (Apply / Discard), the retry of a failed fix, "R1: Explain Code", and "R1: Stop Fix or
// Explanation". This file only wires them to VS Code; each lives in its own file.
import * as vscode from "vscode";
import { problemsToFix, sentWhole } from "../../core/fix/codePrompts";
import { fixAllByRegion } from "./fixAllRegions";
import { currentDiagnostics, toDiagnosticInfo } from "./diagnosticsWatch";
import { ExplainCode, type ExplainOutcome } from "../explain/explainCode";
import { FixCodeActionProvider } from "./fixProvider";
import { type FixOutcome, FixWithR1 } from "./fixWithR1";
import { ReasoningRequests } from "../reasoning/reasoningRequest";
import type { Services } from "../services";

export function registerCodeActions(services: Services): vscode.Disposable {
    const requests = new ReasoningRequests(services);
    const review = services.proposals;
    const fixes = new FixWithR1(services, requests, review);
    const explain = new ExplainCode(requests);

    /** The diagnostics at the active editor's cursor (errors first), for the palette command. */
    const atCursor = (): { uri: vscode.Uri; diagnostic: vscode.Diagnostic } | undefined => {
        const editor = vscode.window.activeTextEditor;
        if (!editor) return undefined;
        const pos = editor.selection.active;
        const here = vscode.languages.getDiagnostics(editor.document.uri)
            .filter((d) => d.range.contains(pos) || d.range.start.line === pos.line)
            .sort((a, b) => a.severity - b.severity);
        return here[0] ? { uri: editor.document.uri, diagnostic: here[0] } : undefined;
    };

    return vscode.Disposable.from(
        requests,
        fixes,
        vscode.languages.registerCodeActionsProvider({ scheme: "*" }, new FixCodeActionProvider(), FixCodeActionProvider.metadata),
        // One diagnostic, or several of one line or range (the combined quick fix: one request, one proposal,
        // verified against all of them).
        vscode.commands.registerCommand("r1.fixDiagnostic", async (uri?: vscode.Uri, diagnostic?: vscode.Diagnostic | vscode.Diagnostic[]): Promise<FixOutcome | undefined> => {
            let diagnostics = diagnostic === undefined ? [] : Array.isArray(diagnostic) ? diagnostic : [diagnostic];
            if (!uri || diagnostics.length === 0) {
                const found = atCursor();
                if (!found) {
                    void vscode.window.showInformationMessage(vscode.l10n.t("R1: there is no problem at the cursor to fix."));
                    return undefined;
                }
                uri = found.uri;
                diagnostics = [found.diagnostic];
            }
            return fixes.run({ uri, diagnostics: diagnostics.map(toDiagnosticInfo), scope: "problem" });
        }),
        vscode.commands.registerCommand("r1.fixAllInFile", async (uri?: vscode.Uri): Promise<FixOutcome | undefined> => {
            const target = uri ?? vscode.window.activeTextEditor?.document.uri;
            if (!target) return undefined;
            const problems = problemsToFix(currentDiagnostics(target));
            if (problems.length === 0) {
                void vscode.window.showInformationMessage(vscode.l10n.t("R1: this file has no errors or warnings to fix."));
                return undefined;
            }
            // A file too large to send whole is fixed region by region (only the code around each problem is sent).
            const document = await vscode.workspace.openTextDocument(target);
            if (!sentWhole(document.getText())) return fixAllByRegion(fixes, target, problems);
            return fixes.run({ uri: target, diagnostics: problems, scope: "file" });
        }),
        vscode.commands.registerCommand("r1.fix.retry", (id: string) => fixes.retry(id)),
        vscode.commands.registerCommand("r1.applyProposedFix", (uri?: vscode.Uri) => {
            if (!review.decide(uri, "apply")) void vscode.window.showInformationMessage(vscode.l10n.t("R1: there is no proposed fix to apply."));
        }),
        vscode.commands.registerCommand("r1.discardProposedFix", (uri?: vscode.Uri) => {
            review.decide(uri, "discard");
        }),
        vscode.commands.registerCommand("r1.explainCode", (uri?: vscode.Uri, range?: vscode.Range): Promise<ExplainOutcome> =>
            explain.run(uri instanceof vscode.Uri ? uri : undefined, range instanceof vscode.Range ? range : undefined)),
        vscode.commands.registerCommand("r1.stopCodeActionRequests", () => requests.cancelAll())
    );
}

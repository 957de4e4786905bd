// The code actions "Fix with R1" (a quick fix on any diagnostic, every language, never preferred; on several
// diagnostics of the range also one combined fix of them all) and "Fix all in file with R1" (a source action).
// Providing them costs nothing: no model call and no look at the document's text, only the diagnostics VS Code
// passes in; the work starts when the user chooses one (r1.fixDiagnostic, r1.fixAllInFile).
import * as vscode from "vscode";
import { diagnosticLabel } from "../../core/fix/diagnosticInfo";
import { toDiagnosticInfo } from "./diagnosticsWatch";

/** "source.r1.fixAll": not "source.fixAll", so that editor.codeActionsOnSave never starts a model run. */
export const fixAllKind = vscode.CodeActionKind.Source.append("r1").append("fixAll");

/** At most this many single-problem "Fix with R1: TS2322" entries beside the combined one. */
const maxSingleFixes = 2;

export class FixCodeActionProvider implements vscode.CodeActionProvider {
    static readonly metadata: vscode.CodeActionProviderMetadata = {
        providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, fixAllKind]
    };

    provideCodeActions(document: vscode.TextDocument, _range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
        const actions: vscode.CodeAction[] = [];
        const wants = (kind: vscode.CodeActionKind): boolean => !context.only || context.only.intersects(kind);
        if (wants(vscode.CodeActionKind.QuickFix) && context.diagnostics.length > 0) {
            const all = context.diagnostics;
            const quickFix = (title: string, diagnostics: vscode.Diagnostic[]): vscode.CodeAction => {
                const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
                action.diagnostics = diagnostics;
                action.isPreferred = false;
                action.command = { command: "r1.fixDiagnostic", title, arguments: [document.uri, diagnostics.length === 1 ? diagnostics[0] : diagnostics] };
                return action;
            };
            if (all.length === 1) {
                actions.push(quickFix("Fix with R1", [all[0]!]));
            } else {
                // Several problems here: one combined fix first (one request, one diff, verified against all of them),
                // then the first ones alone, so the menu keeps at most three R1 entries.
                actions.push(quickFix(`Fix ${all.length} problems here with R1`, [...all]));
                for (const d of all.slice(0, maxSingleFixes)) actions.push(quickFix(`Fix with R1: ${diagnosticLabel(toDiagnosticInfo(d))}`, [d]));
            }
        }
        // Source actions only when asked for (the Source Action menu): VS Code never shows them in the light bulb.
        // Any length: a large file is fixed region by region (fixAllRegions).
        if (context.only?.intersects(fixAllKind)) {
            const problems = vscode.languages.getDiagnostics(document.uri).filter((d) =>
                d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning);
            if (problems.length > 0) {
                const action = new vscode.CodeAction("Fix all in file with R1", fixAllKind);
                action.command = { command: "r1.fixAllInFile", title: vscode.l10n.t("Fix all in file with R1"), arguments: [document.uri] };
                actions.push(action);
            }
        }
        return actions;
    }
}

// The code actions "Fix with R1" (a quick fix on any diagnostic, every language, never preferred) and "Fix all in
// file with R1" (a source action). Providing them costs nothing: no model call and no look at the document's
// text, only the diagnostics VS Code passes in; the work starts when the user chooses one (r1.fixDiagnostic,
// r1.fixAllInFile).
import * as vscode from "vscode";
import { WHOLE_FILE_MAX_LINES } from "../../core/fix/codePrompts";
import { diagnosticLabel } from "../../core/fix/diagnosticInfo";
import { toDiagnosticInfo } from "./diagnosticsWatch";

/** "source.r1.fixAll": not "source.fixAll", so that editor.codeActionsOnSave never starts a model run. */
export const fixAllKind = vscode.CodeActionKind.Source.append("r1").append("fixAll");

/** At most this many "Fix with R1" entries when several diagnostics overlap the cursor. */
const maxQuickFixes = 3;

export class FixCodeActionProvider implements vscode.CodeActionProvider {
    static readonly metadata: vscode.CodeActionProviderMetadata = {
        providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, fixAllKind]
    };

    provideCodeActions(document: vscode.TextDocument, _range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
        const actions: vscode.CodeAction[] = [];
        const wants = (kind: vscode.CodeActionKind): boolean => !context.only || context.only.intersects(kind);
        if (wants(vscode.CodeActionKind.QuickFix)) {
            const diagnostics = context.diagnostics.slice(0, maxQuickFixes);
            for (const d of diagnostics) {
                const title = diagnostics.length === 1 ? "Fix with R1" : `Fix with R1: ${diagnosticLabel(toDiagnosticInfo(d))}`;
                const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
                action.diagnostics = [d];
                action.isPreferred = false;
                action.command = { command: "r1.fixDiagnostic", title, arguments: [document.uri, d] };
                actions.push(action);
            }
        }
        // Source actions only when asked for (the Source Action menu): VS Code never shows them in the light bulb.
        if (context.only?.intersects(fixAllKind) && document.lineCount <= WHOLE_FILE_MAX_LINES) {
            const problems = vscode.languages.getDiagnostics(document.uri).filter((d) =>
                d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning);
            if (problems.length > 0) {
                const action = new vscode.CodeAction("Fix all in file with R1", fixAllKind);
                action.command = { command: "r1.fixAllInFile", title: "Fix all in file with R1", arguments: [document.uri] };
                actions.push(action);
            }
        }
        return actions;
    }
}

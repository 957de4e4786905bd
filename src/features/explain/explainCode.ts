// "R1: Explain Code": explains the selection, or the function at the cursor when nothing is selected. The thought
// and the explanation stream into the reasoning view, with the code's file and range linked; a progress
// notification can cancel it.
import * as vscode from "vscode";
import { noticeText } from "../../core/answer/untrustedText";
import { planExplain } from "../../core/fix/codePrompts";
import { enclosingFunctionRange, findEnclosingDefinition } from "../../core/edit/codeStructure";
import type { ReasoningRequests } from "../reasoning/reasoningRequest";

export type ExplainStatus = "explained" | "cancelled" | "failed" | "noModel" | "nothing";

export interface ExplainOutcome {
    status: ExplainStatus;
    message: string;
    title?: string;
    prompt?: string;
    /** The code explained. */
    range?: vscode.Range;
    answer?: string;
}

export class ExplainCode {
    constructor(private readonly requests: ReasoningRequests) {}

    /** Explains `range` of `uri`; without them, the active editor's selection or the function at its cursor. */
    async run(uri?: vscode.Uri, range?: vscode.Range): Promise<ExplainOutcome> {
        const editor = vscode.window.activeTextEditor;
        // The editor context menu passes the editor's URI: then its selection or cursor is what to explain.
        const inEditor = editor && (!uri || editor.document.uri.toString() === uri.toString()) ? editor : undefined;
        if (!uri && !inEditor) return this.nothing("Open a file and select the code to explain.");
        const document = inEditor ? inEditor.document : await vscode.workspace.openTextDocument(uri!);
        let target: vscode.Range | undefined = range;
        let cursorLine: number | undefined;
        if (!target && inEditor) {
            if (!inEditor.selection.isEmpty) target = inEditor.selection;
            else cursorLine = inEditor.selection.active.line;
        }
        const text = document.getText();
        let name: string | undefined;
        if (!target) {
            if (cursorLine === undefined) return this.nothing("Select the code to explain.");
            const r = enclosingFunctionRange(text, cursorLine, document.languageId);
            if (!r) return this.nothing("Select the code to explain (there is no function at the cursor).");
            target = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
            name = (findEnclosingDefinition(text, cursorLine, document.languageId, "function") ?? findEnclosingDefinition(text, cursorLine, document.languageId))?.name;
        }
        if (target.isEmpty) return this.nothing("Select the code to explain.");
        const budget = this.requests.codeCharBudget("explain");
        const planWithin = (maxChars: number): ReturnType<typeof planExplain> => planExplain({
            filePath: vscode.workspace.asRelativePath(document.uri, false), languageId: document.languageId, documentText: text,
            range: { start: target.start, end: target.end }, ...(name ? { name } : {}),
            maxChars
        });
        let plan = planWithin(budget);
        // A trimmed prompt is as long as the budget allows by its ~3 characters per token: count it with the model's
        // tokenizer and trim further where that was too hopeful (a 5 MB selection must not fail as too long).
        for (let maxChars = budget, i = 0; plan.trimmed && i < 3; i++) {
            const tokens = await this.requests.promptTokens(plan.prompt);
            const fit = Math.floor(budget / 3) - 64;
            if (tokens === undefined || tokens <= fit) break;
            maxChars = Math.floor((maxChars * fit * 0.95) / tokens);
            plan = planWithin(maxChars);
        }
        if (plan.trimmed) void vscode.window.showInformationMessage(vscode.l10n.t("R1: {0}", noticeText(plan.trimmed)));
        const outcome = await this.requests.run({
            action: "explain",
            prompt: plan.prompt,
            turn: { kind: "explain", title: plan.title, prompt: plan.prompt, source: { uri: document.uri, range: target } },
            progressTitle: `R1: ${plan.title}`,
            ...(plan.trimmed ? { notices: [{ kind: "info" as const, message: plan.trimmed }] } : {})
        });
        const base = { title: plan.title, prompt: plan.prompt, range: target };
        switch (outcome.kind) {
            case "done":
                return { ...base, status: "explained", message: "The explanation is in the R1 view.", answer: outcome.result.answer };
            case "cancelled":
                return { ...base, status: "cancelled", message: "Explanation cancelled.", ...(outcome.result ? { answer: outcome.result.answer } : {}) };
            case "failed":
                return { ...base, status: "failed", message: outcome.message };
            case "noModel":
                return { ...base, status: "noModel", message: "No model is selected." };
        }
    }

    private nothing(message: string): ExplainOutcome {
        void vscode.window.showInformationMessage(vscode.l10n.t("R1: {0}", noticeText(message)));
        return { status: "nothing", message };
    }
}

// What an @r1 request asks the model: the code it is about (the request's references: #file, a selection; else the
// active editor's selection, else its file) and the prompt, the same as R1's own features build: /explain is
// Explain Code's prompt (core/fix/codePrompts.planExplain), /fix is Fix with R1's (planFix) for the problems VS
// Code reports in that code, and a plain question is R1's chat prompt with the code attached (buildChatPrompt).
import * as vscode from "vscode";
import { buildChatPrompt, contextCharBudget, type ContextCode } from "../../core/chat/chatPrompt";
import { planExplain, planFix, problemsToFix, type FixScope } from "../../core/fix/codePrompts";
import type { DiagnosticInfo } from "../../core/fix/diagnosticInfo";
import type { ReasonAction } from "../../shared/lspProtocol";
import { currentDiagnostics } from "../fix/diagnosticsWatch";
import type { Services } from "../services";

/** A piece of code the request is about: a whole file (no range) or a range of it. */
export interface CodeRef {
    uri: vscode.Uri;
    range?: vscode.Range;
}

export type ParticipantPlan =
    | {
        ok: true;
        action: ReasonAction;
        /** The user turn to send. */
        prompt: string;
        title: string;
        /** The code shown as the source of the thinking in R1's view. */
        source?: { uri: vscode.Uri; range: vscode.Range };
        /** /fix: what the Apply button runs through Fix with R1's review and verification. */
        fix?: { uri: vscode.Uri; diagnostics: DiagnosticInfo[]; scope: FixScope };
        notes: string[];
    }
    | { ok: false; message: string };

/**
 * The references of the request that are code (a #file, a selection); without any, and with `useEditor` (/explain,
 * /fix), the active editor's selection, else its file.
 */
export function codeRefs(references: readonly vscode.ChatPromptReference[], useEditor: boolean): CodeRef[] {
    const refs: CodeRef[] = [];
    for (const r of references) {
        if (r.value instanceof vscode.Uri) refs.push({ uri: r.value });
        else if (r.value instanceof vscode.Location) refs.push({ uri: r.value.uri, range: r.value.range.isEmpty ? undefined : r.value.range });
    }
    if (refs.length > 0 || !useEditor) return refs;
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.uri.scheme === "r1-proposal") return [];
    return [{ uri: editor.document.uri, ...(editor.selection.isEmpty ? {} : { range: editor.selection }) }];
}

const wholeRange = (document: vscode.TextDocument): vscode.Range => new vscode.Range(0, 0, document.lineCount, 0);
const withQuestion = (prompt: string, question: string): string => (question.trim() ? `${prompt}\n\n${question.trim()}` : prompt);

export async function planParticipant(services: Services, command: string | undefined, question: string, refs: readonly CodeRef[]): Promise<ParticipantPlan> {
    const first = refs[0];
    if (command === "explain" || command === "fix") {
        if (!first) return { ok: false, message: `Select the code (or add a #file) for /${command}: there is no open editor.` };
        const document = await vscode.workspace.openTextDocument(first.uri);
        const filePath = vscode.workspace.asRelativePath(document.uri, false);
        const base = { filePath, languageId: document.languageId, documentText: document.getText() };
        const range = first.range ?? wholeRange(document);
        if (command === "explain") {
            const plan = planExplain({ ...base, range: { start: range.start, end: range.end } });
            return { ok: true, action: "explain", prompt: withQuestion(plan.prompt, question), title: plan.title, source: { uri: document.uri, range }, notes: [] };
        }
        const problems = problemsToFix(currentDiagnostics(document.uri)).filter((d) => !first.range || first.range.intersection(new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character)) !== undefined);
        if (problems.length === 0) {
            return { ok: false, message: `VS Code reports no errors or warnings in ${first.range ? "the selected code of " : ""}${filePath}. /fix fixes reported problems; ask without /fix to discuss the code.` };
        }
        const scope: FixScope = problems.length === 1 ? "problem" : "file";
        const plan = planFix({ ...base, diagnostics: problems, scope });
        if (!plan.ok) return { ok: false, message: plan.reason };
        return {
            ok: true, action: "fix", prompt: withQuestion(plan.prompt, question), title: plan.title, source: { uri: document.uri, range },
            fix: { uri: document.uri, diagnostics: problems, scope }, notes: []
        };
    }
    if (!question.trim()) return { ok: false, message: "Ask a question, or use /explain or /fix on the selected code." };
    const context: ContextCode[] = [];
    for (const ref of refs) {
        const document = await vscode.workspace.openTextDocument(ref.uri);
        const path = vscode.workspace.asRelativePath(document.uri, false);
        context.push(ref.range
            ? { kind: "selection", path, languageId: document.languageId, text: document.getText(ref.range), range: { start: ref.range.start, end: ref.range.end } }
            : { kind: "file", path, languageId: document.languageId, text: document.getText() });
    }
    const { config } = services;
    const prompt = buildChatPrompt(question, context, { maxContextChars: contextCharBudget(config.engine().contextSize, config.thinkingBudget("chat")) });
    return {
        ok: true, action: "chat", prompt: prompt.text, title: `@r1: ${question.trim().slice(0, 60)}`, notes: prompt.notes,
        ...(first ? { source: { uri: first.uri, range: first.range ?? new vscode.Range(0, 0, 0, 0) } } : {})
    };
}

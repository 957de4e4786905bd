// What the buttons of an answer's code block do, and what a link in an answer does.
//
// The webview sends the block's code; it is used only when it is code of that turn's final answer
// (core/answerCode: never code from the thought, never text the page made up).
//   Copy              the clipboard
//   Insert at Cursor  the editor the user was in (also when the chat is an editor tab), at every cursor, as one
//                     undoable edit
//   Apply             a diff of the change against the code the chat was about: the attached selection or file
//                     (this turn's, then earlier turns'), else the editor's selection or file; when the answer names
//                     the block's file (a heading with its path) and it is in the workspace, that file; when that
//                     file does not exist yet, Create file (newFileProposal: a checked path, a diff against an
//                     empty file, created on Apply). The edit comes from
//                     core/proposedEdit (answer only, the thought passed to refuse leaks), is reviewed in the same
//                     diff as a quick fix (proposalReview: Apply / Discard, rebased while the user types), and is
//                     applied as one undoable edit only when the user accepts it.
// Links open in the browser only when they are http(s) and the user confirmed the URL in a modal dialog.
import * as vscode from "vscode";
import { noticeText } from "../../core/answer/untrustedText";
import type { Log } from "../../client/log";
import { extractAnswerBlocks } from "../../core/answer/answerBlocks";
import type { LocatedCode } from "../../core/answer/answerCode";
import { codeForInsertion } from "../../core/answer/codeInsertion";
import type { ContextRef } from "../../core/chat/conversation";
import { matchLanguage } from "../../core/answer/languageIds";
import { checkLink } from "../../core/answer/linkPolicy";
import { proposeEdit, type ProposedEdit } from "../../core/edit/proposedEdit";
import { rebaseEdit } from "../../core/edit/rebaseEdit";
import { normalizeFileHint, pathMatchesHint } from "../../core/chat/fileSearch";
import { type EditTarget, splitLines, wholeLinesRange } from "../../core/edit/textEdit";
import { relativePath, toRange } from "./chatContext";
import { proposalScheme, type ProposalReview } from "../review/proposalReview";
import { newFileTarget, proposeNewFile } from "./newFileProposal";

export type CodeActionStatus = "copied" | "inserted" | "applied" | "created" | "discarded" | "refused" | "failed";

export interface CodeActionOutcome {
    status: CodeActionStatus;
    /** What the user was told (or would have been). */
    message: string;
    /** The document that was changed or proposed. */
    uri?: string;
}

export type LinkOutcome = { status: "opened" | "cancelled" | "refused"; message: string };

/** The answer a code block belongs to, and what the conversation was about. */
export interface AnswerSource {
    answer: string;
    reasoning: string;
    /** Where the code was located in the answer (undefined: not in it). */
    located: LocatedCode | undefined;
    /** The code the turn was about, most specific first (see core/conversation contextFor). */
    targets: ContextRef[];
    /** The text each target document had when it was sent (URI → text), when known. */
    baseTexts: ReadonlyMap<string, string>;
}

interface Candidate {
    document: vscode.TextDocument;
    /** The text the target range refers to. */
    baseText: string;
    target: EditTarget;
    /** "the selected lines 5–9 of cart.ts" (for messages). */
    what: string;
}

function fileName(uri: vscode.Uri): string {
    return uri.path.split("/").pop() || uri.toString();
}

function isEditorDocument(document: vscode.TextDocument): boolean {
    return document.uri.scheme !== proposalScheme && document.uri.scheme !== "output" && document.uri.scheme !== "vscode-webview";
}

export class ChatCodeActions implements vscode.Disposable {
    private lastEditor: vscode.TextEditor | undefined;
    private readonly disposables: vscode.Disposable[] = [];

    constructor(private readonly review: ProposalReview, private readonly log: Log) {
        this.remember(vscode.window.activeTextEditor);
        this.disposables.push(vscode.window.onDidChangeActiveTextEditor((e) => this.remember(e)));
    }

    private remember(editor: vscode.TextEditor | undefined): void {
        if (editor && isEditorDocument(editor.document)) this.lastEditor = editor;
    }

    /** The editor the user was working in: the active one, else the last one (the chat may be an editor tab). */
    private async workingEditor(): Promise<vscode.TextEditor | undefined> {
        const active = vscode.window.activeTextEditor;
        if (active && isEditorDocument(active.document)) return active;
        const last = this.lastEditor;
        if (!last || last.document.isClosed) return vscode.window.visibleTextEditors.find((e) => isEditorDocument(e.document));
        if (vscode.window.visibleTextEditors.includes(last)) return last;
        // Hidden behind the chat tab: bring it back where it was, with its selections.
        const shown = await vscode.window.showTextDocument(last.document, { viewColumn: last.viewColumn, preserveFocus: true, preview: false });
        shown.selections = last.selections;
        return shown;
    }

    /** Copy / Insert / Apply on code of a reply (`source` undefined: the reply is no longer in the chat). */
    async run(action: "copy" | "insert" | "apply", code: string, source: AnswerSource | undefined): Promise<CodeActionOutcome> {
        if (!source) {
            const message = "That reply is not in the chat any more.";
            void vscode.window.showWarningMessage(vscode.l10n.t("R1: {0}", message));
            return { status: "refused", message };
        }
        if (!source.located) {
            const outcome: CodeActionOutcome = { status: "refused", message: "That code is not part of R1's final answer, so it was not used." };
            this.log.warn(`Chat ${action} refused: the code sent by the view is not in the answer.`);
            void vscode.window.showWarningMessage(vscode.l10n.t("R1: {0}", outcome.message));
            return outcome;
        }
        switch (action) {
            case "copy":
                return this.copy(code);
            case "insert":
                return this.insert(code);
            case "apply":
                return this.apply(source);
        }
    }

    private async copy(code: string): Promise<CodeActionOutcome> {
        try {
            await vscode.env.clipboard.writeText(code);
        } catch (error) {
            return this.tell({ status: "failed", message: `The code could not be copied: ${error instanceof Error ? error.message : String(error)}` }, "error");
        }
        vscode.window.setStatusBarMessage("$(check) R1: code copied", 2500);
        return { status: "copied", message: "Copied." };
    }

    private async insert(code: string): Promise<CodeActionOutcome> {
        const editor = await this.workingEditor();
        if (!editor) return this.tell({ status: "refused", message: "Open a file and place the cursor where the code should go, then Insert again." }, "info");
        const document = editor.document;
        const eol = document.eol === vscode.EndOfLine.CRLF ? "\r\n" : "\n";
        const selections = [...editor.selections];
        // One edit for every cursor: one step to undo.
        const done = await editor.edit((builder) => {
            for (const s of selections) {
                const line = document.lineAt(s.start.line).text;
                const endLine = document.lineAt(s.end.line).text;
                builder.replace(s, codeForInsertion(code, line.slice(0, s.start.character), endLine.slice(s.end.character), eol));
            }
        });
        if (!done) return this.tell({ status: "failed", message: `The code could not be inserted into ${fileName(document.uri)}.` }, "error");
        await vscode.window.showTextDocument(document, { viewColumn: editor.viewColumn, preserveFocus: false });
        return { status: "inserted", message: `Inserted into ${fileName(document.uri)}.`, uri: document.uri.toString() };
    }

    /**
     * The places Apply may change, in order: the conversation's code, then the editor's selection or file. When
     * the answer names the block's file (a heading or `title=` before it) and that file is in the workspace, only
     * that file: a block written for schema.ts is never proposed as a change to cart.ts. When it names no file
     * that exists, the file to create (newFileProposal), or why that path is refused.
     */
    private async candidates(source: AnswerSource, fileHint: string | undefined): Promise<Candidate[] | { kind: "new"; uri: vscode.Uri; path: string } | { kind: "refused"; reason: string }> {
        const all = await this.conversationCandidates(source);
        if (!fileHint) return all;
        const named = all.filter((c) => pathMatchesHint(c.document.uri.path, fileHint));
        if (named.length > 0) return named;
        let found = await this.workspaceFile(fileHint);
        if (!found) {
            const near = source.targets[0] ? vscode.Uri.parse(source.targets[0].uri, true) : undefined;
            const target = await newFileTarget(fileHint, near);
            if (target.kind !== "exists") return target;
            found = await vscode.workspace.openTextDocument(target.uri).then((d) => d, () => undefined);
            if (!found) return all;
        }
        const text = found.getText();
        const lines = splitLines(text);
        return [{ document: found, baseText: text, target: { kind: "lines", range: wholeLinesRange(lines, 0, lines.length - 1) }, what: fileName(found.uri) }];
    }

    /** The blocks of an answer whose Apply would create a file (their code and path), for the "Create file" button. */
    async newFiles(source: Pick<AnswerSource, "answer" | "reasoning" | "targets">): Promise<Array<{ code: string; path: string }>> {
        const files: Array<{ code: string; path: string }> = [];
        for (const block of extractAnswerBlocks(source.answer, { reasoning: source.reasoning })) {
            const hint = block.fileHint;
            if (!hint || !block.applicable || block.kind === "diff") continue;
            if (source.targets.some((t) => pathMatchesHint(vscode.Uri.parse(t.uri, true).path, hint)) || await this.workspaceFile(hint)) continue;
            const near = source.targets[0] ? vscode.Uri.parse(source.targets[0].uri, true) : undefined;
            const target = await newFileTarget(hint, near);
            if (target.kind === "new") files.push({ code: block.code, path: target.path });
        }
        return files;
    }

    /** The one workspace file the answer's path names (outside node_modules), if exactly one matches. */
    private async workspaceFile(fileHint: string): Promise<vscode.TextDocument | undefined> {
        const hint = normalizeFileHint(fileHint);
        if (!hint || /[*?[\]{}!]/.test(hint) || hint.split("/").includes("..")) return undefined;
        const files = await vscode.workspace.findFiles(`**/${hint}`, "**/node_modules/**", 2).then((r) => r, () => []);
        if (files.length !== 1) return undefined;
        return vscode.workspace.openTextDocument(files[0]!).then((d) => d, () => undefined);
    }

    private async conversationCandidates(source: AnswerSource): Promise<Candidate[]> {
        const out: Candidate[] = [];
        for (const ref of source.targets) {
            let document: vscode.TextDocument;
            try {
                document = await vscode.workspace.openTextDocument(vscode.Uri.parse(ref.uri, true));
            } catch {
                continue; // deleted or unreadable since
            }
            const base = source.baseTexts.get(ref.uri);
            // After a window reload the text sent is not known: the document as it is now stands in for it.
            const baseText = base ?? document.getText();
            const lines = splitLines(baseText);
            if (ref.kind === "selection" && ref.range && ref.range.start.line < lines.length) {
                const [a, b] = [ref.range.start.line + 1, Math.min(ref.range.end.line, lines.length - 1) + 1];
                out.push({ document, baseText, target: { kind: "selection", range: ref.range }, what: `the selected ${a === b ? `line ${a}` : `lines ${a}–${b}`} of ${fileName(document.uri)}` });
            } else {
                out.push({ document, baseText, target: { kind: "lines", range: wholeLinesRange(lines, 0, lines.length - 1) }, what: fileName(document.uri) });
            }
        }
        const editor = await this.workingEditor().catch(() => undefined);
        if (editor && !out.some((c) => c.document === editor.document && c.target.kind === "lines")) {
            const document = editor.document;
            const text = document.getText();
            const lines = splitLines(text);
            if (!editor.selection.isEmpty) {
                const s = editor.selection;
                out.push({ document, baseText: text, target: { kind: "selection", range: { start: { line: s.start.line, character: s.start.character }, end: { line: s.end.line, character: s.end.character } } }, what: `the selection in ${fileName(document.uri)}` });
            }
            out.push({ document, baseText: text, target: { kind: "lines", range: wholeLinesRange(lines, 0, lines.length - 1) }, what: fileName(document.uri) });
        }
        return out;
    }

    private async apply(source: AnswerSource): Promise<CodeActionOutcome> {
        const located = source.located;
        if (located?.kind !== "block") {
            return this.tell({ status: "refused", message: "Only a fenced code block of the answer can be applied; use Copy or Insert at Cursor for this one." }, "info");
        }
        const block = located.block;
        const candidates = await this.candidates(source, block.kind === "diff" ? undefined : block.fileHint);
        if (!Array.isArray(candidates)) {
            if (candidates.kind === "refused") return this.tell({ status: "refused", message: candidates.reason }, "warning");
            const created = await proposeNewFile(this.review, candidates, source, block.index);
            if (created.status === "refused" || created.status === "failed") return this.tell(created, created.status === "failed" ? "error" : "warning");
            return created;
        }
        if (candidates.length === 0) {
            return this.tell({ status: "refused", message: "There is no code to apply this to: add a selection or a file to the chat, or open the file, then Apply again." }, "info");
        }
        let firstRefusal: string | undefined;
        for (const c of candidates) {
            if (block.kind !== "diff" && block.langId && matchLanguage(block.langId, c.document.languageId) === "unrelated") {
                firstRefusal ??= `The code block is ${block.lang}, but ${fileName(c.document.uri)} is ${c.document.languageId}.`;
                continue;
            }
            const proposal = proposeEdit({
                documentText: c.baseText, languageId: c.document.languageId, target: c.target,
                answer: source.answer, reasoning: source.reasoning, blockIndex: block.index
            });
            if (!proposal.ok) {
                this.log.info(`Chat Apply on ${c.what}: ${proposal.code}: ${proposal.reason}`);
                firstRefusal ??= proposal.reason;
                continue;
            }
            if (c.target.kind === "lines" && unclearInFile(proposal, c.baseText)) {
                firstRefusal ??= `It is unclear where this code goes in ${fileName(c.document.uri)}: select the code it should replace, then Apply again.`;
                continue;
            }
            return this.reviewAndApply(c, proposal);
        }
        return this.tell({ status: "refused", message: `Nothing to apply: ${firstRefusal ?? "the code does not fit the file."}` }, "warning");
    }

    private async reviewAndApply(c: Candidate, proposal: ProposedEdit): Promise<CodeActionOutcome> {
        const { document } = c;
        const name = fileName(document.uri);
        const uri = document.uri.toString();
        const fits = rebaseEdit(c.baseText, document.getText(), proposal.edit);
        if (!fits.ok) return this.tell({ status: "refused", message: fits.reason, uri }, "warning");
        const decision = await this.review.review({
            document, baseText: c.baseText, edit: proposal.edit,
            title: vscode.l10n.t("{0} ↔ R1's change from the chat", name),
            notice: `R1's change to ${relativePath(document.uri)} is ready: review the diff, then apply or discard it.${proposal.notes.length ? ` ${proposal.notes.join(" ")}` : ""}`
        });
        if (decision.kind === "discard") {
            if (decision.why === "stale") return this.tell({ status: "refused", message: decision.message ?? `${name} changed.`, uri }, "warning");
            return { status: "discarded", message: "Discarded; nothing was changed.", uri };
        }
        const e = decision.edit;
        const we = new vscode.WorkspaceEdit();
        we.replace(document.uri, toRange(e.range), e.newText);
        let applied: boolean;
        try {
            // The document may have changed between the decision and now: check once more (never shifted text).
            applied = document.getText() === decision.currentText && (await vscode.workspace.applyEdit(we));
        } catch (error) {
            return this.tell({ status: "failed", message: `The change could not be applied: ${String(error)}`, uri }, "error");
        }
        if (!applied) return this.tell({ status: "refused", message: `${name} changed just before the change was applied; nothing was changed.`, uri }, "warning");
        const start = toRange(e.range).start;
        void vscode.window.showTextDocument(document, { selection: new vscode.Range(start, start), preserveFocus: false }).then(undefined, () => undefined);
        return { status: "applied", message: `Applied R1's change to ${name}.`, uri };
    }

    /** Opens an answer's link after the user confirmed it; anything but http(s) is refused. */
    async openLink(raw: string): Promise<LinkOutcome> {
        const check = checkLink(raw);
        if (!check.ok) {
            const message = vscode.l10n.t("R1 did not open the link: {0}.", check.reason);
            this.log.warn(`Refused a link from an answer (${check.reason}): ${raw.slice(0, 200)}`);
            void vscode.window.showWarningMessage(message);
            return { status: "refused", message };
        }
        const choice = await vscode.window.showWarningMessage(
            vscode.l10n.t("Open this link from R1's answer in your browser?"),
            { modal: true, detail: vscode.l10n.t("{0}\n\nThe link was written by the model: check the address before you open it.", check.url) }, vscode.l10n.t("Open Link")
        );
        if (choice !== vscode.l10n.t("Open Link")) return { status: "cancelled", message: "Not opened." };
        const opened = await vscode.env.openExternal(vscode.Uri.parse(check.url, true));
        return opened ? { status: "opened", message: `Opened ${check.host}.` } : { status: "cancelled", message: "Not opened." };
    }

    private tell(outcome: CodeActionOutcome, level: "info" | "warning" | "error"): CodeActionOutcome {
        const text = `R1: ${noticeText(outcome.message)}`;
        if (level === "info") void vscode.window.showInformationMessage(text);
        else if (level === "warning") void vscode.window.showWarningMessage(text);
        else void vscode.window.showErrorMessage(text);
        return outcome;
    }

    dispose(): void {
        for (const d of this.disposables) d.dispose();
    }
}

/**
 * A proposal for a whole-file target that just replaces the file with a much shorter block: the answer's code was
 * not placed (no definition, diff or anchor lines matched), so where it goes is a guess.
 */
function unclearInFile(proposal: ProposedEdit, baseText: string): boolean {
    if (proposal.mapping !== "target") return false;
    const fileLines = splitLines(baseText).filter((l) => l.trim() !== "").length;
    const codeLines = proposal.block.code.split("\n").filter((l) => l.trim() !== "").length;
    return codeLines < fileLines * 0.6;
}

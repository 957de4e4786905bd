// The code attached to the next chat message ("R1: Add Selection to Chat", "R1: Add Current File to Chat", `@file`
// completion): shown as chips above the prompt box, removable, sent with the message (core/chatPrompt) and then
// cleared. A selection is kept as it was selected (its text, its range and the document's text then, which is the
// base an Apply from the answer is rebased from); a file is read when the message is sent.
import * as vscode from "vscode";
import { escapeIcons, noticeText } from "../../core/answer/untrustedText";
import type { ContextCode } from "../../core/chat/chatPrompt";
import type { ContextRef } from "../../core/chat/conversation";
import { rankFiles } from "../../core/chat/fileSearch";
import type { TextRange } from "../../core/edit/textEdit";
import type { ContextChip, FileSuggestion } from "../../shared/webviewProtocol";

interface Attached {
    id: string;
    ref: ContextRef;
    /** A selection's text and its document's text when it was attached. */
    selected?: { text: string; documentText: string };
}

/** What a message sends: the code for the prompt, the references for the turn, the texts an Apply starts from. */
export interface ResolvedContext {
    refs: ContextRef[];
    codes: ContextCode[];
    /** Document URI → its text as sent (files) or as it was when selected (selections). */
    baseTexts: Map<string, string>;
    chips: ContextChip[];
    /** Attached items that could not be read (deleted files): one sentence each. */
    problems: string[];
}

const IGNORED_FOLDERS = /(^|\/)(node_modules|\.git|out|dist|\.vscode-test|\.next|target|__pycache__|\.venv|venv)\//;

/** A core range as a VS Code range. */
export function toRange(r: TextRange): vscode.Range {
    return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

function fromRange(r: vscode.Range): TextRange {
    return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

function baseName(path: string): string {
    return path.split(/[\\/]/).pop() || path;
}

/** First and last 1-based lines of a selection (a selection ending at the start of a line does not include it). */
function lineSpan(r: TextRange): [number, number] {
    const last = r.end.line > r.start.line && r.end.character === 0 ? r.end.line - 1 : r.end.line;
    return [r.start.line + 1, last + 1];
}

/** The chip of a reference: "cart.ts" or "cart.ts:5-9", with the path (and lines) as its tooltip. */
export function chipFor(id: string, ref: ContextRef): ContextChip {
    if (ref.kind === "file" || !ref.range) return { id, kind: "file", label: baseName(ref.path), detail: ref.path };
    const [a, b] = lineSpan(ref.range);
    return { id, kind: "selection", label: `${baseName(ref.path)}:${a === b ? a : `${a}-${b}`}`, detail: `${ref.path}, ${a === b ? `line ${a}` : `lines ${a}–${b}`}` };
}

export class AttachedContext implements vscode.Disposable {
    private items: Attached[] = [];
    private next = 1;
    private readonly changed = new vscode.EventEmitter<void>();
    private fileCache: { at: number; paths: Promise<string[]> } | undefined;
    readonly onDidChange = this.changed.event;

    chips(): ContextChip[] {
        return this.items.map((i) => chipFor(i.id, i.ref));
    }

    get size(): number {
        return this.items.length;
    }

    /** Attaches the editor's selection (the whole file when nothing is selected). Returns the chip. */
    addSelection(editor: vscode.TextEditor): ContextChip {
        const selection = editor.selection;
        if (selection.isEmpty) return this.addDocument(editor.document);
        const document = editor.document;
        const ref: ContextRef = { kind: "selection", uri: document.uri.toString(), path: relativePath(document.uri), languageId: document.languageId, range: fromRange(selection) };
        const same = this.items.find((i) => i.ref.kind === "selection" && i.ref.uri === ref.uri && JSON.stringify(i.ref.range) === JSON.stringify(ref.range));
        if (same) return chipFor(same.id, same.ref);
        return this.add({ id: this.newId(), ref, selected: { text: document.getText(selection), documentText: document.getText() } });
    }

    /** Attaches a whole file (once). */
    addDocument(document: vscode.TextDocument): ContextChip {
        return this.addFileRef({ kind: "file", uri: document.uri.toString(), path: relativePath(document.uri), languageId: document.languageId });
    }

    /** Attaches a file by URI (opened to learn its language; throws when it cannot be read as text). */
    async addFile(uri: vscode.Uri): Promise<ContextChip> {
        const document = await vscode.workspace.openTextDocument(uri);
        return this.addDocument(document);
    }

    /** Attaches a workspace file by its workspace-relative path (from `@` completion). */
    async addWorkspaceFile(path: string): Promise<ContextChip> {
        const uri = resolveWorkspacePath(path);
        if (!uri) throw new Error(`${path} is not a file of this workspace.`);
        return this.addFile(uri);
    }

    /** Attaches a workspace file the user chose (`@` completion); one that cannot be read as text gets a warning. */
    async addChosenFile(path: string): Promise<ContextChip | undefined> {
        try {
            return await this.addWorkspaceFile(path);
        } catch (error) {
            void vscode.window.showWarningMessage(noticeText(`R1: ${path} cannot be attached: ${error instanceof Error ? error.message : String(error)}`));
            return undefined;
        }
    }

    /** "Attach" in the prompt box: the selection, the current file, or any workspace file, from a quick pick. */
    async pick(): Promise<ContextChip | undefined> {
        const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
        type Item = vscode.QuickPickItem & { run: () => Promise<ContextChip | undefined> };
        const items: Item[] = [];
        if (editor && !editor.selection.isEmpty) {
            const s = editor.selection;
            items.push({ label: vscode.l10n.t("$(selection) Selection"), description: `${relativePath(editor.document.uri)}:${s.start.line + 1}-${s.end.line + 1}`, run: async () => this.addSelection(editor) });
        }
        if (editor) items.push({ label: vscode.l10n.t("$(file) Current File"), description: relativePath(editor.document.uri), run: async () => this.addDocument(editor.document) });
        items.push({
            label: vscode.l10n.t("$(search) File from the Workspace…"), run: async () => {
                const files = await this.suggestFiles("", 5000);
                const file = await vscode.window.showQuickPick(files.map((f) => ({ label: escapeIcons(f.name), description: f.folder, path: f.path })), { placeHolder: vscode.l10n.t("Attach a file to the chat"), matchOnDescription: true });
                return file ? this.addWorkspaceFile(file.path) : undefined;
            }
        });
        const choice = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t("Attach code to the next message") });
        return choice?.run();
    }

    remove(id: string): boolean {
        const before = this.items.length;
        this.items = this.items.filter((i) => i.id !== id);
        if (this.items.length === before) return false;
        this.changed.fire();
        return true;
    }

    clear(): void {
        if (this.items.length === 0) return;
        this.items = [];
        this.changed.fire();
    }

    /** Reads what is attached, for a message sent now. */
    async resolve(): Promise<ResolvedContext> {
        const out: ResolvedContext = { refs: [], codes: [], baseTexts: new Map(), chips: [], problems: [] };
        for (const item of this.items) {
            const { ref } = item;
            if (item.selected) {
                out.codes.push({ kind: "selection", path: ref.path, languageId: ref.languageId, text: item.selected.text, ...(ref.range ? { range: ref.range } : {}) });
                if (!out.baseTexts.has(ref.uri)) out.baseTexts.set(ref.uri, item.selected.documentText);
            } else {
                let text: string;
                try {
                    text = (await vscode.workspace.openTextDocument(vscode.Uri.parse(ref.uri, true))).getText();
                } catch (error) {
                    out.problems.push(`${ref.path} could not be read (${error instanceof Error ? error.message : String(error)}), so it was not sent.`);
                    continue;
                }
                out.codes.push({ kind: "file", path: ref.path, languageId: ref.languageId, text });
                out.baseTexts.set(ref.uri, text);
            }
            out.refs.push(ref);
            out.chips.push(chipFor(item.id, ref));
        }
        return out;
    }

    /** `@` completion: workspace files matching `query`, open files first. */
    async suggestFiles(query: string, limit = 12): Promise<FileSuggestion[]> {
        const open = vscode.window.tabGroups.all.flatMap((g) => g.tabs)
            .map((t) => (t.input instanceof vscode.TabInputText ? t.input.uri : undefined))
            .filter((u): u is vscode.Uri => u !== undefined && u.scheme === "file" && vscode.workspace.getWorkspaceFolder(u) !== undefined)
            .map((u) => relativePath(u));
        const all = await this.workspaceFiles();
        return rankFiles([...open, ...all], query, limit).map((path) => {
            const slash = path.lastIndexOf("/");
            return { path, name: path.slice(slash + 1), folder: slash < 0 ? "" : path.slice(0, slash) };
        });
    }

    private workspaceFiles(): Promise<string[]> {
        const now = Date.now();
        if (!this.fileCache || now - this.fileCache.at > 10_000) {
            const paths = Promise.resolve(vscode.workspace.findFiles("**/*", undefined, 5000))
                .then((uris) => uris.map((u) => relativePath(u)).filter((p) => !IGNORED_FOLDERS.test(p)).sort((a, b) => a.localeCompare(b)))
                .catch(() => [] as string[]);
            this.fileCache = { at: now, paths };
        }
        return this.fileCache.paths;
    }

    private addFileRef(ref: ContextRef): ContextChip {
        const same = this.items.find((i) => i.ref.kind === "file" && i.ref.uri === ref.uri);
        if (same) return chipFor(same.id, same.ref);
        return this.add({ id: this.newId(), ref });
    }

    private add(item: Attached): ContextChip {
        this.items.push(item);
        this.changed.fire();
        return chipFor(item.id, item.ref);
    }

    private newId(): string {
        return `ctx${this.next++}`;
    }

    dispose(): void {
        this.changed.dispose();
    }
}

/** A range of a document (the code a quick fix or Explain Code is about), with its language when it is open. */
export function selectionRef(uri: vscode.Uri, range: vscode.Range): ContextRef {
    const languageId = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.languageId ?? "plaintext";
    return { kind: "selection", uri: uri.toString(), path: relativePath(uri), languageId, range: fromRange(range) };
}

/** Workspace-relative path with "/" (the full path outside the workspace). */
export function relativePath(uri: vscode.Uri): string {
    return vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1).replace(/\\/g, "/");
}

/** The URI of a workspace-relative path, when it is inside one of the workspace folders. */
export function resolveWorkspacePath(path: string): vscode.Uri | undefined {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0 || path.split("/").some((s) => s === ".." || s === "." || s === "")) return undefined;
    if (folders.length > 1) {
        const [first, ...rest] = path.split("/");
        const folder = folders.find((f) => f.name === first);
        if (folder && rest.length > 0) return vscode.Uri.joinPath(folder.uri, ...rest);
    }
    return vscode.Uri.joinPath(folders[0]!.uri, ...path.split("/"));
}

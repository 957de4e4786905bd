// "Create file" for a chat answer's code block under a path that is no file yet. The path is the model's, so
// it is checked twice: as text (core/edit/newFile.checkNewFilePath: inside the workspace folder, no `..`, no
// absolute path elsewhere, not in .git) and on disk (no folder on the way is a symbolic link, which could lead out
// of the workspace, or a file). The file is shown as a diff against an empty file (the same review as every
// change: Apply / Discard) and is created only on Apply, as one workspace edit, and only if it is still not there:
// an existing file is never overwritten.
import * as vscode from "vscode";
import { checkNewFilePath, newFileText } from "../../core/edit/newFile";
import type { ProposalReview } from "../review/proposalReview";

export type NewFileTarget =
    /** The path names a file that exists: the usual Apply goes there. */
    | { kind: "exists"; uri: vscode.Uri }
    | { kind: "new"; uri: vscode.Uri; /** Relative to its workspace folder. */ path: string }
    | { kind: "refused"; reason: string };

export type NewFileOutcome = { status: "created" | "discarded" | "refused" | "failed"; message: string; uri?: string };

async function statOf(uri: vscode.Uri): Promise<vscode.FileStat | undefined> {
    return vscode.workspace.fs.stat(uri).then((s) => s, () => undefined);
}

/** Where the file named by `hint` would be (in the workspace folder of `near`, else the first folder), or why not. */
export async function newFileTarget(hint: string, near: vscode.Uri | undefined): Promise<NewFileTarget> {
    const folder = (near && vscode.workspace.getWorkspaceFolder(near)) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder) return { kind: "refused", reason: "Open a folder first: new files are only created inside the workspace." };
    const check = checkNewFilePath(hint, folder.uri.path);
    if (!check.ok) return { kind: "refused", reason: `The answer's file ${check.reason}` };
    const segments = check.path.split("/");
    const uri = vscode.Uri.joinPath(folder.uri, ...segments);
    const here = await statOf(uri);
    if (here) {
        return here.type & vscode.FileType.File && !(here.type & vscode.FileType.SymbolicLink)
            ? { kind: "exists", uri }
            : { kind: "refused", reason: `${check.path} exists and is not a plain file.` };
    }
    // The folders on the way: each one that exists must be a real folder (not a link that could point elsewhere).
    let dir = folder.uri;
    for (const segment of segments.slice(0, -1)) {
        dir = vscode.Uri.joinPath(dir, segment);
        const s = await statOf(dir);
        if (!s) break; // created along with the file
        if (s.type & vscode.FileType.SymbolicLink) return { kind: "refused", reason: `${check.path} would be created through a symbolic link (${vscode.workspace.asRelativePath(dir, false)}); create it yourself if that is intended.` };
        if (!(s.type & vscode.FileType.Directory)) return { kind: "refused", reason: `${vscode.workspace.asRelativePath(dir, false)} is a file, not a folder.` };
    }
    return { kind: "new", uri, path: check.path };
}

/** Shows block `blockIndex` of the answer as the new file's diff; creates the file on Apply. */
export async function proposeNewFile(
    review: ProposalReview,
    target: { uri: vscode.Uri; path: string },
    source: { answer: string; reasoning: string },
    blockIndex: number
): Promise<NewFileOutcome> {
    const made = newFileText(source.answer, blockIndex, target.path, source.reasoning);
    if (!made.ok) return { status: "refused", message: `Nothing to create: ${made.reason}` };
    const uri = target.uri.toString();
    const decision = await review.review({
        newFile: target.uri,
        text: made.text,
        title: vscode.l10n.t("{0} (new file) ↔ R1's file from the chat", target.path),
        notice: `R1's answer creates a new file, ${target.path}: review it, then apply (create the file) or discard it.`
    });
    if (decision.kind === "discard") return { status: "discarded", message: "Discarded; no file was created.", uri };
    if (await statOf(target.uri)) return { status: "refused", message: `${target.path} appeared meanwhile; it was not overwritten.`, uri };
    const we = new vscode.WorkspaceEdit();
    we.createFile(target.uri, { overwrite: false, ignoreIfExists: false, contents: new TextEncoder().encode(made.text) });
    let applied: boolean;
    try {
        applied = await vscode.workspace.applyEdit(we);
    } catch (error) {
        return { status: "failed", message: `${target.path} could not be created: ${String(error)}`, uri };
    }
    if (!applied) return { status: "failed", message: `${target.path} could not be created.`, uri };
    void vscode.window.showTextDocument(target.uri, { preview: false }).then(undefined, () => undefined);
    return { status: "created", message: `Created ${target.path}.`, uri };
}

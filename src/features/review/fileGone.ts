// A file the request was about may be deleted or renamed while the model thinks (or while its diff is open). Its
// TextDocument can stay open in memory, so editing it would bring the old path back with the model's change on it:
// ProposalReview asks here before it opens a diff and again after Apply, and refuses with this message instead.
import * as vscode from "vscode";

/** Why no edit may land on `uri` (it is no longer on disk), or undefined when it is still there (or has no disk). */
export async function fileGone(uri: vscode.Uri): Promise<string | undefined> {
    if (uri.scheme === "untitled" || vscode.workspace.fs.isWritableFileSystem(uri.scheme) === undefined) return undefined;
    const there = await vscode.workspace.fs.stat(uri).then(() => true, () => false);
    if (there) return undefined;
    const name = uri.path.split("/").pop() ?? uri.path;
    return `${name} was deleted or renamed while R1 was working on it; nothing was changed. Run it again on the file where it is now.`;
}

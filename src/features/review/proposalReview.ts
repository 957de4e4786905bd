// Shows a proposed edit as a diff the user accepts or rejects: the document on the left (an empty file for a file
// to create), the document with the edit on the right (a read-only virtual document, scheme `r1-proposal`), with "Apply" and "Discard" buttons in
// the diff editor's title bar and in a notification. (Not a CodeLens: diff editors hide CodeLenses by default.)
//
// The proposal follows the document: when the user types while the diff is open, the edit is rebased onto the
// new text (rebaseEdit) and the right side refreshed; when the code it replaces changes, the proposal is dropped
// with the reason, never applied to shifted text. Closing the diff discards it. Whatever the decision, its diff is
// closed before the decision is returned: a refused, discarded or applied proposal never leaves a tab behind.
import * as vscode from "vscode";
import { fileGone } from "./fileGone";
import { noticeText } from "../../core/answer/untrustedText";
import { rebaseEdit } from "../../core/edit/rebaseEdit";
import { applyEdit as applyTextEdit, type TextEdit } from "../../core/edit/textEdit";

export const proposalScheme = "r1-proposal";

export interface ProposalSpec {
    document: vscode.TextDocument;
    /** The text the edit was computed against. */
    baseText: string;
    /** The edit, against `baseText`. */
    edit: TextEdit;
    /** The diff editor's title: "cart.ts ↔ R1's fix for TS2322". */
    title: string;
    /** The notification's text: "R1's fix for TS2322 in cart.ts is ready: review the diff, then apply or discard it." */
    notice: string;
}

/** A file to create: the diff shows it against an empty file; nothing is written before the decision. */
export interface NewFileProposalSpec {
    /** Where the file would be created (checked by the caller: inside the workspace, not there yet). */
    newFile: vscode.Uri;
    /** Its whole text. */
    text: string;
    title: string;
    notice: string;
}

export type ReviewDecision =
    /** `edit` is rebased onto the document as it is now: apply it as it is. */
    | { kind: "apply"; edit: TextEdit; currentText: string }
    | { kind: "discard"; why: "user" | "closed" | "stale" | "disposed"; message?: string };

interface Proposal {
    id: string;
    spec: ProposalSpec | NewFileProposalSpec;
    uri: vscode.Uri;
    /** The edit against the document's current text (undefined once stale). */
    current: TextEdit | undefined;
    content: string;
    resolve(decision: ReviewDecision): void;
}

/** The URI of the right side of a proposal's diff. */
function proposalUri(document: vscode.Uri, id: string): vscode.Uri {
    // Same path (so the language and the file icon are the document's), its own scheme, the id in the query.
    const path = document.path || document.toString();
    return vscode.Uri.from({ scheme: proposalScheme, path: path.startsWith("/") ? path : `/${path}`, query: `id=${id}` });
}

/** The file a proposal is for (the document, or the file to create). */
function targetOf(spec: ProposalSpec | NewFileProposalSpec): vscode.Uri {
    return "newFile" in spec ? spec.newFile : spec.document.uri;
}

function toRange(edit: TextEdit): vscode.Range {
    return new vscode.Range(edit.range.start.line, edit.range.start.character, edit.range.end.line, edit.range.end.character);
}

export class ProposalReview implements vscode.Disposable, vscode.TextDocumentContentProvider {
    private readonly proposals = new Map<string, Proposal>();
    private readonly changed = new vscode.EventEmitter<vscode.Uri>();
    private readonly disposables: vscode.Disposable[] = [];
    private next = 1;

    readonly onDidChange = this.changed.event;

    constructor() {
        this.disposables.push(
            vscode.workspace.registerTextDocumentContentProvider(proposalScheme, this),
            vscode.workspace.onDidChangeTextDocument((e) => this.onDocumentChanged(e.document)),
            vscode.window.tabGroups.onDidChangeTabs((e) => {
                for (const tab of e.closed) {
                    const input = tab.input;
                    if (input instanceof vscode.TabInputTextDiff && input.modified.scheme === proposalScheme) {
                        this.resolve(input.modified.toString(), { kind: "discard", why: "closed" });
                    }
                }
            }),
            this.changed
        );
    }

    /** The proposals waiting for a decision (newest last). */
    get pending(): ReadonlyArray<{ uri: vscode.Uri; document: vscode.Uri; content: string }> {
        return [...this.proposals.values()].map((p) => ({ uri: p.uri, document: targetOf(p.spec), content: p.content }));
    }

    provideTextDocumentContent(uri: vscode.Uri): string {
        return this.proposals.get(uri.toString())?.content ?? "";
    }

    /**
     * Opens the diff and resolves with the user's decision. Resolves at once with "stale" when the edit no
     * longer fits the document.
     */
    async review(spec: ProposalSpec | NewFileProposalSpec): Promise<ReviewDecision> {
        const id = String(this.next++);
        const target = targetOf(spec);
        const uri = proposalUri(target, id);
        let resolveDecision!: (d: ReviewDecision) => void;
        const decision = new Promise<ReviewDecision>((r) => (resolveDecision = r));
        const proposal: Proposal = { id, spec, uri, current: undefined, content: "", resolve: resolveDecision };
        const refusal = this.refresh(proposal) ?? await this.gone(spec);
        if (refusal) return { kind: "discard", why: "stale", message: refusal };
        this.proposals.set(uri.toString(), proposal);
        try {
            // A new file is shown against an empty one (a virtual document of the same provider, never in the map).
            const left = "newFile" in spec ? proposalUri(target, `${id}-empty`) : target;
            await vscode.commands.executeCommand("vscode.diff", left, uri, spec.title, {
                preview: false,
                ...(proposal.current ? { selection: toRange(proposal.current).with({ end: toRange(proposal.current).start }) } : {})
            });
        } catch (error) {
            this.proposals.delete(uri.toString());
            await this.closeDiff(uri);
            return { kind: "discard", why: "disposed", message: `The diff could not be opened: ${String(error)}` };
        }
        // The document may have changed while the diff opened, and made the proposal stale: then no notice.
        if (this.proposals.has(uri.toString())) {
            // Info toasts with buttons hide after a while and stay in the notification center (VS Code has no API to
            // take one back): a button pressed after the decision was made elsewhere says so instead of doing nothing.
            void vscode.window.showInformationMessage(noticeText(spec.notice), vscode.l10n.t("Apply"), vscode.l10n.t("Discard")).then((choice) => {
                if (!choice) return;
                if (!this.decide(uri, choice === vscode.l10n.t("Apply") ? "apply" : "discard")) {
                    void vscode.window.showInformationMessage(vscode.l10n.t("R1: that proposed change is no longer open: it was already applied, discarded, or its diff was closed."));
                }
            });
        }
        const made = await decision;
        // Only here, after the diff has opened: a decision made while it was opening would find no tab to close.
        await this.closeDiff(uri);
        // Deleted or renamed while the diff was open: Apply would write the old path back.
        const goneNow = made.kind === "apply" ? await this.gone(spec) : undefined;
        return goneNow ? { kind: "discard", why: "stale", message: goneNow } : made;
    }

    /** Why the reviewed file can take no edit (deleted or renamed: its document can stay open); a new file: never. */
    private gone(spec: ProposalSpec | NewFileProposalSpec): Promise<string | undefined> {
        return "newFile" in spec ? Promise.resolve(undefined) : fileGone(spec.document.uri);
    }

    /**
     * The user's decision on a proposal: `target` is the proposal's URI (the editor title buttons and the notification
     * pass it; then only that one), else the proposal in the active diff editor, else the newest one. Returns
     * false when there is no such proposal.
     */
    decide(target: vscode.Uri | undefined, kind: "apply" | "discard"): boolean {
        const p = this.find(target);
        if (!p) return false;
        if (kind === "discard") {
            this.resolve(p.uri.toString(), { kind: "discard", why: "user" });
            return true;
        }
        if ("newFile" in p.spec) {
            // Nothing to rebase: the caller checks once more that the file is still not there before creating it.
            this.resolve(p.uri.toString(), { kind: "apply", edit: p.current!, currentText: "" });
            return true;
        }
        const currentText = p.spec.document.getText();
        const r = rebaseEdit(p.spec.baseText, currentText, p.spec.edit);
        if (!r.ok) {
            this.resolve(p.uri.toString(), { kind: "discard", why: "stale", message: r.reason });
            return true;
        }
        this.resolve(p.uri.toString(), { kind: "apply", edit: r.edit, currentText });
        return true;
    }

    private find(target: vscode.Uri | undefined): Proposal | undefined {
        if (target && target.scheme === proposalScheme) return this.proposals.get(target.toString());
        const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        if (input instanceof vscode.TabInputTextDiff && input.modified.scheme === proposalScheme) {
            const p = this.proposals.get(input.modified.toString());
            if (p) return p;
        }
        if (target) {
            // A document URI: its newest proposal.
            const forDoc = [...this.proposals.values()].filter((p) => targetOf(p.spec).toString() === target.toString());
            if (forDoc.length) return forDoc[forDoc.length - 1];
        }
        const all = [...this.proposals.values()];
        return all[all.length - 1];
    }

    /** Recomputes the proposal against the document's current text; returns the reason when it no longer fits. */
    private refresh(p: Proposal): string | undefined {
        if ("newFile" in p.spec) {
            p.current = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: p.spec.text };
            p.content = p.spec.text;
            return undefined;
        }
        const currentText = p.spec.document.getText();
        const r = rebaseEdit(p.spec.baseText, currentText, p.spec.edit);
        if (!r.ok) {
            p.current = undefined;
            return r.reason;
        }
        p.current = r.edit;
        p.content = applyTextEdit(currentText, r.edit);
        return undefined;
    }

    private onDocumentChanged(document: vscode.TextDocument): void {
        for (const p of [...this.proposals.values()]) {
            if ("newFile" in p.spec) continue;
            if (p.spec.document !== document && p.spec.document.uri.toString() !== document.uri.toString()) continue;
            const refusal = this.refresh(p);
            if (refusal) {
                this.resolve(p.uri.toString(), { kind: "discard", why: "stale", message: refusal });
            } else {
                this.changed.fire(p.uri);
            }
        }
    }

    /** Settles a pending proposal; review() closes its diff before passing the decision on. */
    private resolve(key: string, decision: ReviewDecision): void {
        const p = this.proposals.get(key);
        if (!p) return;
        this.proposals.delete(key);
        p.resolve(decision);
    }

    /** Closes the proposal's diff tabs; returns once VS Code's tab model (tabGroups) no longer lists them. */
    private async closeDiff(uri: vscode.Uri): Promise<void> {
        const open = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) =>
            t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === uri.toString());
        // A Tab object goes stale when VS Code rebuilds its tab model (closing it then throws): take fresh ones and
        // try again, a few rounds at most (a tab whose closing is refused stays).
        for (let round = 0; round < 3; round++) {
            const tabs = open();
            if (tabs.length === 0) return;
            await vscode.window.tabGroups.close(tabs).then(undefined, () => undefined);
        }
    }

    dispose(): void {
        for (const key of [...this.proposals.keys()]) this.resolve(key, { kind: "discard", why: "disposed" });
        for (const d of this.disposables) d.dispose();
    }
}

// The chat history's commands: "R1: New Chat" (the chat shown goes to the history, an empty one starts) and
// "R1: Chat History" (a quick pick of this workspace's earlier chats, newest first, each with a delete button; the
// welcome view's history link opens it too). The ChatController owns the conversation: these only ask it to
// start, open or delete a chat.
import * as vscode from "vscode";
import { escapeIcons } from "../../core/answer/untrustedText";
import type { ChatSummary } from "../../core/chat/chatHistory";
import { timeAgo } from "../../core/chat/timeAgo";

/** What the history commands need of the chat (the ChatController). */
export interface ChatHistoryOwner {
    /** The earlier chats, newest first. */
    historyList(): ChatSummary[];
    /** The chat shown now. */
    readonly current: { readonly id: string };
    newChat(): Promise<void>;
    openChat(id: string): Promise<boolean>;
    deleteChat(id: string): Promise<void>;
}

export function registerChatHistoryCommands(owner: ChatHistoryOwner, revealChat: () => Promise<void>): vscode.Disposable {
    return vscode.Disposable.from(
        vscode.commands.registerCommand("r1.newChat", async () => {
            await owner.newChat();
            await revealChat();
        }),
        vscode.commands.registerCommand("r1.showChatHistory", () => showChatHistory(owner))
    );
}

/** The history list: a quick pick of the earlier chats, newest first, with a delete button each. */
export async function showChatHistory(owner: ChatHistoryOwner): Promise<void> {
    type Item = vscode.QuickPickItem & { id: string };
    const deleteButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon("trash"), tooltip: vscode.l10n.t("Delete Chat") };
    const items = (): Item[] => owner.historyList().map((c) => ({
        id: c.id,
        // The title is the first question (or a quick fix's title with a file name): `$(name)` in it stays text.
        label: escapeIcons(c.title),
        description: `${c.turns} ${c.turns === 1 ? "turn" : "turns"} · ${timeAgo(c.updatedAt)}${c.id === owner.current.id ? " · shown now" : ""}`,
        iconPath: new vscode.ThemeIcon(c.id === owner.current.id ? "comment-discussion" : "comment"),
        buttons: [deleteButton]
    }));
    if (items().length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t("R1: there are no earlier chats in this workspace yet."));
        return;
    }
    const pick = vscode.window.createQuickPick<Item>();
    pick.title = vscode.l10n.t("R1: Chat History");
    pick.placeholder = vscode.l10n.t("Open an earlier chat (this workspace)");
    pick.matchOnDescription = true;
    pick.items = items();
    const chosen = await new Promise<Item | undefined>((resolve) => {
        pick.onDidTriggerItemButton(async (e) => {
            await owner.deleteChat(e.item.id);
            pick.items = items();
            if (pick.items.length === 0) pick.hide();
        });
        pick.onDidAccept(() => {
            resolve(pick.selectedItems[0]);
            pick.hide();
        });
        pick.onDidHide(() => resolve(undefined));
        pick.show();
    });
    pick.dispose();
    if (chosen) await owner.openChat(chosen.id);
}

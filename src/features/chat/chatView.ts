// The chat's places in VS Code: the "Reasoning" view in R1 Reasoner's side bar, and "R1: Open Chat in Editor" (an
// editor tab, for a wide chat; restored after a reload). Both show the same conversation (one ChatController).
// Also the chat's commands: Add Selection to Chat, Add Current File to Chat (New Chat and Chat History:
// chatHistoryCommands).
import * as vscode from "vscode";
import { noticeText } from "../../core/answer/untrustedText";
import { ChatController } from "./chatController";
import { registerChatHistoryCommands } from "./chatHistoryCommands";
import type { Services } from "../services";
import { webviewHtml, webviewOptions } from "./webviewHtml";

export const chatViewId = "r1.chatView";
export const chatPanelType = "r1.chatPanel";

export interface ChatRegistration extends vscode.Disposable {
    readonly controller: ChatController;
}

export function registerChatView(services: Services): ChatRegistration {
    const controller = new ChatController(services);
    const extensionUri = services.context.extensionUri;
    const panels = new ChatPanels(controller, extensionUri);
    let view: vscode.WebviewView | undefined;

    const provider: vscode.WebviewViewProvider = {
        resolveWebviewView(webviewView) {
            view = webviewView;
            webviewView.webview.options = webviewOptions(extensionUri);
            webviewView.webview.html = webviewHtml(webviewView.webview, extensionUri, "R1 Reasoner");
            const connection = controller.attach(webviewView.webview);
            webviewView.onDidDispose(() => {
                connection.dispose();
                if (view === webviewView) view = undefined;
            });
        }
    };

    /** Shows the chat where the user has it: the editor tab when it is open, else the side bar view. */
    const revealChat = async (): Promise<void> => {
        if (panels.reveal()) return;
        await vscode.commands.executeCommand(`${chatViewId}.focus`);
    };

    const editorFor = (uri?: vscode.Uri): vscode.TextEditor | undefined => {
        const active = vscode.window.activeTextEditor;
        if (!uri || active?.document.uri.toString() === uri.toString()) return active;
        return vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    };

    const disposables = vscode.Disposable.from(
        vscode.window.registerWebviewViewProvider(chatViewId, provider, { webviewOptions: { retainContextWhenHidden: true } }),
        vscode.window.registerWebviewPanelSerializer(chatPanelType, panels),
        panels,
        controller,
        vscode.commands.registerCommand("r1.openChatInEditor", () => panels.open()),
        vscode.commands.registerCommand("r1.openChat", () => vscode.commands.executeCommand(`${chatViewId}.focus`)),
        registerChatHistoryCommands(controller, revealChat),
        vscode.commands.registerCommand("r1.addSelectionToChat", async (uri?: vscode.Uri) => {
            const editor = editorFor(uri instanceof vscode.Uri ? uri : undefined);
            if (!editor) {
                void vscode.window.showInformationMessage(vscode.l10n.t("R1: select code in an editor first."));
                return undefined;
            }
            const chip = controller.context.addSelection(editor);
            await revealChat();
            return chip;
        }),
        vscode.commands.registerCommand("r1.addFileToChat", async (uri?: vscode.Uri) => {
            const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
            if (!target) {
                void vscode.window.showInformationMessage(vscode.l10n.t("R1: open a file first."));
                return undefined;
            }
            try {
                const chip = await controller.context.addFile(target);
                await revealChat();
                return chip;
            } catch (error) {
                void vscode.window.showWarningMessage(noticeText(`R1: ${target.path.split("/").pop()} cannot be attached: ${error instanceof Error ? error.message : String(error)}`));
                return undefined;
            }
        })
    );
    return { controller, dispose: () => disposables.dispose() };
}

/** "R1: Open Chat in Editor": one editor tab with the chat, restored after a window reload. */
class ChatPanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
    private panel: vscode.WebviewPanel | undefined;

    constructor(private readonly controller: ChatController, private readonly extensionUri: vscode.Uri) {}

    open(): void {
        if (this.reveal(false)) return;
        const panel = vscode.window.createWebviewPanel(chatPanelType, "R1 Chat", { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
            ...webviewOptions(this.extensionUri),
            retainContextWhenHidden: true,
            enableFindWidget: true
        });
        this.setUp(panel);
    }

    /** Reveals the open tab; false when there is none. */
    reveal(preserveFocus = false): boolean {
        if (!this.panel) return false;
        this.panel.reveal(undefined, preserveFocus);
        return true;
    }

    async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
        if (this.panel) {
            panel.dispose();
            return;
        }
        panel.webview.options = webviewOptions(this.extensionUri);
        this.setUp(panel);
    }

    private setUp(panel: vscode.WebviewPanel): void {
        this.panel = panel;
        panel.iconPath = vscode.Uri.joinPath(this.extensionUri, "media", "r1.svg");
        panel.webview.html = webviewHtml(panel.webview, this.extensionUri, "R1 Chat");
        const connection = this.controller.attach(panel.webview);
        panel.onDidDispose(() => {
            connection.dispose();
            if (this.panel === panel) this.panel = undefined;
        });
    }

    dispose(): void {
        this.panel?.dispose();
    }
}

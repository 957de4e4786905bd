// The places that draw the chat: the side bar view, "Open Chat in Editor" panels, or a test standing in for a
// webview. Each is connected, says "ready" once it can draw, and from then on gets every message; what to send,
// and what a message from a webview does, is the ChatController's. A message that does not match the protocol
// (core/chat/webviewMessageCheck) is rejected here and logged: the webview draws model output, so what it posts is
// not trusted.
import * as vscode from "vscode";
import type { Log } from "../../client/log";
import { checkWebviewMessage } from "../../core/chat/webviewMessageCheck";
import type { HostToWebview, WebviewToHost } from "../../shared/webviewProtocol";

/** A connected webview (or a test standing in for one). */
export interface ChatConnection extends vscode.Disposable {
    /** Handles one message from the webview; resolves with what it did (for tests), or `{ rejected }` with the reason. */
    handle(message: WebviewToHost | Record<string, unknown>): Promise<unknown>;
}

export interface Surface {
    post(message: HostToWebview): void;
    ready: boolean;
}

export class ChatSurfaces {
    private readonly surfaces = new Set<Surface>();
    /** Why each rejected message was rejected, oldest first (the last 100; tests read it). */
    readonly rejected: string[] = [];

    constructor(
        private readonly handle: (message: WebviewToHost, surface: Surface) => Promise<unknown>,
        private readonly log: Log
    ) {}

    /** Connects a webview: its messages go to the controller, and it gets the chat once it says "ready". */
    attach(webview: vscode.Webview): vscode.Disposable {
        const connection = this.connect((m) => void webview.postMessage(m).then(undefined, () => undefined));
        const sub = webview.onDidReceiveMessage((m: unknown) => {
            void connection.handle(m as Record<string, unknown>).catch((error: unknown) => this.log.error(`Chat: ${String(error instanceof Error ? error.stack ?? error.message : error)}`));
        });
        return vscode.Disposable.from(sub, connection);
    }

    /** Connects anything that draws the chat (a webview, or a test recording the messages). */
    connect(post: (message: HostToWebview) => void): ChatConnection {
        const surface: Surface = { post, ready: false };
        this.surfaces.add(surface);
        return {
            handle: async (message: unknown) => {
                const checked = checkWebviewMessage(message);
                if (checked.ok) return this.handle(checked.message, surface);
                this.log.warn(`Chat: rejected a message from the webview (${checked.reason}).`);
                this.rejected.push(checked.reason);
                if (this.rejected.length > 100) this.rejected.shift();
                return { rejected: checked.reason };
            },
            dispose: () => {
                this.surfaces.delete(surface);
            }
        };
    }

    /** Sends a message to every surface that is ready. */
    post(message: HostToWebview): void {
        for (const s of this.surfaces) if (s.ready) s.post(message);
    }

    /** The surfaces that are ready (to draw the whole chat again). */
    ready(): Surface[] {
        return [...this.surfaces].filter((s) => s.ready);
    }

    clear(): void {
        this.surfaces.clear();
    }
}

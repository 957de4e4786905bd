// Where a reasoning request started outside the chat (a quick fix, Explain Code) shows its thought and answer:
// the chat draws it as a turn of the current conversation. Features call `display.startTurn(...)`; the chat
// controller registers itself as the renderer when the extension activates (and draws the turn in every chat
// webview, now or when one opens). Turns started while no renderer is set are kept and replayed.
import * as vscode from "vscode";
import type { ReasonProgress, ReasonResult } from "../../shared/lspProtocol";

export interface ExternalTurnInfo {
    kind: "fix" | "explain";
    /** Short title, e.g. "Fix TS2322 in cart.ts:12". */
    title: string;
    /** The prompt as sent to the model (shown collapsed). */
    prompt: string;
    /** The code the request is about: shown as a link. */
    source?: { uri: vscode.Uri; range: vscode.Range };
}

export interface ExternalTurn {
    progress(progress: ReasonProgress): void;
    finish(result: ReasonResult): void;
    fail(message: string): void;
    /** Cancelled before the model process answered (the request failed because it was stopped): shown as stopped,
     * with what had arrived, never as an error. */
    stopped(): void;
}

/** What the chat view implements to draw external turns. */
export interface TurnRenderer {
    startTurn(info: ExternalTurnInfo): ExternalTurn;
}

type Event = { kind: "progress"; progress: ReasonProgress } | { kind: "finish"; result: ReasonResult } | { kind: "fail"; message: string } | { kind: "stopped" };

export class ReasoningDisplay implements vscode.Disposable {
    private renderer: TurnRenderer | undefined;
    private pending: Array<{ info: ExternalTurnInfo; events: Event[]; attach(turn: ExternalTurn): void }> = [];

    /** Starts a turn in the reasoning view and reveals the view (without taking the focus from the editor). */
    startTurn(info: ExternalTurnInfo): ExternalTurn {
        void vscode.commands.executeCommand("r1.chatView.focus", { preserveFocus: true }).then(undefined, () => undefined);
        if (this.renderer) return this.renderer.startTurn(info);
        // Buffer until the view is resolved, then replay.
        let target: ExternalTurn | undefined;
        const events: Event[] = [];
        const entry = { info, events, attach: (turn: ExternalTurn) => (target = turn) };
        this.pending.push(entry);
        const forward = (e: Event): void => {
            if (!target) {
                events.push(e);
                return;
            }
            if (e.kind === "progress") target.progress(e.progress);
            else if (e.kind === "finish") target.finish(e.result);
            else if (e.kind === "stopped") target.stopped();
            else target.fail(e.message);
        };
        return {
            progress: (progress) => forward({ kind: "progress", progress }),
            finish: (result) => forward({ kind: "finish", result }),
            fail: (message) => forward({ kind: "fail", message }),
            stopped: () => forward({ kind: "stopped" })
        };
    }

    /** Called by the chat view when it is ready to draw. */
    setRenderer(renderer: TurnRenderer | undefined): void {
        this.renderer = renderer;
        if (!renderer) return;
        const pending = this.pending;
        this.pending = [];
        for (const p of pending) {
            const turn = renderer.startTurn(p.info);
            p.attach(turn);
            for (const e of p.events) {
                if (e.kind === "progress") turn.progress(e.progress);
                else if (e.kind === "finish") turn.finish(e.result);
                else if (e.kind === "stopped") turn.stopped();
                else turn.fail(e.message);
            }
        }
    }

    dispose(): void {
        this.renderer = undefined;
        this.pending = [];
    }
}

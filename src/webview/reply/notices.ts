// Text and icon for each notice a reply can show. Notice fields may contain model text (the repeated
// phrase of a loop): they are only ever set as textContent.
import type { ReasonNotice } from "../../shared/lspProtocol";

/** Notices a reply can show: the engine's, plus states the webview itself recognizes. */
export type ReplyNotice =
    | ReasonNotice
    /** The answer so far was retracted (the model wrote `</think>` later, e.g. without an opening `<think>`). */
    | { kind: "thinkTagOnly" }
    | { kind: "stoppedByUser" }
    | { kind: "maxTokens"; maxTokens?: number }
    | { kind: "error"; message: string };

export type NoticeTone = "info" | "warning" | "error";

export interface NoticeView {
    icon: string;
    tone: NoticeTone;
    text: string;
}

function clip(text: string, max: number): string {
    const oneLine = text.replace(/\s+/g, " ").trim();
    return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

const number = new Intl.NumberFormat("en-US");

export function describeNotice(notice: ReplyNotice): NoticeView {
    switch (notice.kind) {
        case "budgetHit":
            return { icon: "dashboard", tone: "warning", text: `Thinking budget of ${number.format(notice.budget)} tokens reached: the model was asked to answer.` };
        case "loopStopped":
            return { icon: "sync-ignored", tone: "warning", text: `Stopped a repetition loop${notice.repeated ? ` (“${clip(notice.repeated, 80)}”)` : ""}.` };
        case "languageSwitch":
            return { icon: "globe", tone: "info", text: `The model switched language while thinking (${clip(notice.from, 24)} → ${clip(notice.to, 24)}).` };
        case "historyTrimmed":
            return { icon: "history", tone: "info", text: `${notice.droppedTurns} earlier ${notice.droppedTurns === 1 ? "turn was" : "turns were"} left out to fit the context window.` };
        case "samplingOutsideRecommendation":
            return { icon: "settings-gear", tone: "info", text: clip(notice.message, 300) };
        case "modelLoading":
            return { icon: "loading", tone: "info", text: `Loading ${clip(notice.model, 120)}…` };
        case "info":
            return { icon: "info", tone: "info", text: clip(notice.message, 300) };
        case "streamInterrupted":
            return { icon: "debug-disconnect", tone: "warning", text: `The reply was cut off: ${clip(notice.message, 300)} What arrived is kept.` };
        case "thinkTagOnly":
            return { icon: "info", tone: "info", text: "The model was still reasoning (it wrote </think> later, without an opening <think>): that text moved into its thinking." };
        case "stoppedByUser":
            return { icon: "debug-stop", tone: "info", text: "Stopped by you." };
        case "maxTokens":
            return { icon: "warning", tone: "warning", text: notice.maxTokens ? `Stopped at the response length limit (${number.format(notice.maxTokens)} tokens).` : "Stopped at the response length limit." };
        case "error":
            return { icon: "error", tone: "error", text: clip(notice.message, 500) };
    }
}

/** Notices that belong with the thinking block (the others go after the answer). */
export function isThoughtNotice(notice: ReplyNotice): boolean {
    return notice.kind === "budgetHit" || notice.kind === "loopStopped" || notice.kind === "languageSwitch" || notice.kind === "thinkTagOnly";
}

export function renderNotice(notice: ReplyNotice): HTMLElement {
    const view = describeNotice(notice);
    const row = document.createElement("div");
    row.className = `r1-notice r1-notice-${view.tone}`;
    row.setAttribute("role", view.tone === "error" ? "alert" : "status");
    const icon = document.createElement("span");
    icon.className = `codicon codicon-${view.icon}`;
    icon.setAttribute("aria-hidden", "true");
    const text = document.createElement("span");
    text.className = "r1-notice-text";
    text.textContent = view.text;
    row.append(icon, text);
    return row;
}

/** A key that identifies repeats of the same notice (the host may send one in several progress batches). */
export function noticeKey(notice: ReplyNotice): string {
    return JSON.stringify(notice);
}

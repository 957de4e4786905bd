// The messages of a vscode.lm request → the conversation R1 gets (ChatTurn[]). R1 takes no system prompt
// (DeepSeek's advice: every instruction goes in the user's message), so system messages are put at the start of the
// next user turn; consecutive messages of one role are joined; an assistant message before any user message becomes
// context of the first user turn. Only text is read: R1's models do not call tools, so a tool call or a tool
// result in the request is refused with a message that says so, and so is an image; other parts (cache markers,
// prompt-tsx parts) are left out with a note.
import type { ChatTurn } from "../../shared/lspProtocol";

export type LmPart =
    | { kind: "text"; value: string }
    | { kind: "toolCall"; name: string }
    | { kind: "toolResult" }
    | { kind: "data"; mimeType: string }
    | { kind: "other" };

export interface LmMessage {
    role: "system" | "user" | "assistant";
    parts: readonly LmPart[];
}

export type LmConversion =
    | { ok: true; turns: ChatTurn[]; notes: string[] }
    | { ok: false; reason: string };

export const TOOLS_UNSUPPORTED = "R1 Reasoner's models do not call tools";

function refusal(part: LmPart): string | undefined {
    if (part.kind === "toolCall") return `${TOOLS_UNSUPPORTED}: the request contains a tool call (${part.name}). Send text messages only.`;
    if (part.kind === "toolResult") return `${TOOLS_UNSUPPORTED}: the request contains a tool result. Send text messages only.`;
    if (part.kind === "data" && part.mimeType.startsWith("image/")) return `R1 Reasoner's models read text only: the request contains an image (${part.mimeType}).`;
    return undefined;
}

export function toChatTurns(messages: readonly LmMessage[]): LmConversion {
    const turns: ChatTurn[] = [];
    const notes = new Set<string>();
    let pendingSystem: string[] = [];
    let pendingAssistant: string[] = [];
    const push = (role: ChatTurn["role"], text: string): void => {
        const last = turns.at(-1);
        if (last && last.role === role) last.text = `${last.text}\n\n${text}`;
        else turns.push({ role, text });
    };
    for (const message of messages) {
        const texts: string[] = [];
        for (const part of message.parts) {
            const refused = refusal(part);
            if (refused) return { ok: false, reason: refused };
            if (part.kind === "text") texts.push(part.value);
            else if (part.kind === "data") notes.add(`A ${part.mimeType} data part was left out (R1 reads text parts).`);
            else notes.add("A part that is not text was left out (R1 reads text parts).");
        }
        const text = texts.join("");
        if (text.trim() === "") continue;
        if (message.role === "system") pendingSystem.push(text);
        else if (message.role === "assistant") {
            if (turns.length === 0) pendingAssistant.push(text);
            else push("assistant", text);
        } else {
            const lead = [
                ...(pendingSystem.length ? [`Instructions:\n${pendingSystem.join("\n\n")}`] : []),
                ...(pendingAssistant.length ? [`Earlier reply:\n${pendingAssistant.join("\n\n")}`] : [])
            ];
            pendingSystem = [];
            pendingAssistant = [];
            push("user", lead.length ? `${lead.join("\n\n")}\n\n${text}` : text);
        }
    }
    if (pendingSystem.length) notes.add("System instructions after the last user message were left out.");
    if (turns.length === 0) return { ok: false, reason: "The request has no user message with text: R1 answers a user's message." };
    if (turns.at(-1)!.role !== "user") return { ok: false, reason: "The request ends with an assistant message: R1 answers the user's last message, so the last message must be the user's." };
    return { ok: true, turns, notes: [...notes] };
}

// The user's request as shown above a reply: plain text only (never markdown or HTML), and the chips of the code
// that was attached to it.
import type { ContextChip } from "../../shared/webviewProtocol";
import { renderChips } from "./contextChips";

export function renderUserTurn(text: string, context: readonly ContextChip[] = []): HTMLElement {
    const turn = document.createElement("article");
    turn.className = "r1-request";
    turn.setAttribute("aria-label", "Your request");
    const header = document.createElement("header");
    header.className = "r1-turn-header";
    const avatar = document.createElement("span");
    avatar.className = "r1-avatar r1-avatar-user";
    const glyph = document.createElement("span");
    glyph.className = "codicon codicon-account";
    glyph.setAttribute("aria-hidden", "true");
    avatar.append(glyph);
    const name = document.createElement("span");
    name.className = "r1-turn-name";
    name.textContent = "You";
    header.append(avatar, name);
    const bubble = document.createElement("div");
    bubble.className = "r1-request-text";
    bubble.textContent = text;
    turn.append(header);
    if (context.length > 0) turn.append(renderChips(context));
    turn.append(bubble);
    return turn;
}

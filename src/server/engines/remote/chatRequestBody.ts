// The body of POST {baseUrl}/chat/completions for one r1/reason request, with DeepSeek's rules for R1:
// no system message (instructions are in the user turn), temperature and top-p from the settings (0.6 / 0.95
// unless the user changed them), only the ANSWERS of earlier turns (the DeepSeek API rejects reasoning sent
// back, and R1's template drops it), user and assistant strictly alternating and starting with the user (the
// DeepSeek API rejects anything else), `max_tokens` = the reply's hard cap, streamed with the usage at the end.
import type { ChatTurn, ReasonParams } from "../../../shared/lspProtocol";
import { THINK_CLOSE } from "../../../core/reply/reasoningSplit";

export interface ChatMessage {
    role: "user" | "assistant";
    content: string;
}

export interface ChatRequestBody {
    model: string;
    messages: ChatMessage[];
    stream: true;
    stream_options: { include_usage: true };
    max_tokens: number;
    temperature: number;
    top_p: number;
    seed?: number;
}

/** An earlier answer as it is sent back: never any reasoning, even if a `</think>` slipped into the text. */
function answerOnly(text: string): string {
    const close = text.lastIndexOf(THINK_CLOSE);
    return (close >= 0 ? text.slice(close + THINK_CLOSE.length) : text).trim();
}

export function chatMessages(turns: readonly ChatTurn[]): ChatMessage[] {
    const messages: ChatMessage[] = [];
    for (const turn of turns) {
        const content = turn.role === "assistant" ? answerOnly(turn.text) : turn.text;
        if (messages.length === 0 && turn.role === "assistant") continue;
        const last = messages[messages.length - 1];
        // Two turns of one role in a row (an exchange left out): one message, as the API requires alternation.
        if (last && last.role === turn.role) last.content = `${last.content}\n\n${content}`;
        else messages.push({ role: turn.role, content });
    }
    return messages;
}

export function chatRequestBody(model: string, params: ReasonParams): ChatRequestBody {
    const { sampling } = params;
    const body: ChatRequestBody = {
        model,
        messages: chatMessages(params.turns),
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: sampling.maxTokens,
        temperature: sampling.temperature,
        top_p: sampling.topP
    };
    if (sampling.seed !== undefined) body.seed = sampling.seed;
    return body;
}

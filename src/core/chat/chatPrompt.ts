// The user turn of a chat message: the attached code first, then the question.
//
// DeepSeek-R1's rules: no system prompt, everything in the user turn. The stable part comes first: every attached
// file, with its path and language, in a fenced block of its language, then the attached selections (each with its
// lines, path and language), and only then what the user typed. A follow-up about the same files keeps the same
// prefix, which the model process serves from its KV cache.
//
// The attached code is limited in size (the context window must also hold the thought and the answer). When it
// does not fit, the largest items are cut to their first lines (whole lines only), fairly: small items stay whole.
// The prompt says what was cut, so the model knows it does not see everything, and `notes` tell the user.

import { fenced, languageName } from "../fix/codePrompts";
import { splitLines, type TextRange } from "../edit/textEdit";

export interface ContextCode {
    kind: "file" | "selection";
    /** The path shown to the model and the user: workspace-relative when possible ("src/cart.ts"). */
    path: string;
    /** VS Code language id. */
    languageId: string;
    /** The whole file, or the selected text. */
    text: string;
    /** A selection's place in its file (0-based lines). */
    range?: TextRange;
}

export interface ChatPromptOptions {
    /** Most characters of attached code, all items together (see contextCharBudget). */
    maxContextChars?: number;
}

export interface ChatPrompt {
    /** The user turn to send. */
    text: string;
    /** For the user, one sentence per item that was cut or left out; empty when everything fit. */
    notes: string[];
}

/** Used when the caller does not say: about 3,000 tokens of code. */
export const DEFAULT_CONTEXT_CHARS = 9_000;

/**
 * Characters of attached code that leave room for the reply in a context window of `contextSize` tokens: the
 * thinking budget (at most half the window; half when unlimited) and ~1,000 answer tokens, at about 3 characters
 * per token of code. Never below 4,000.
 */
export function contextCharBudget(contextSize: number, thoughtBudget: number): number {
    const half = contextSize / 2;
    const reply = Math.min(thoughtBudget > 0 ? thoughtBudget : half, half) + 1024;
    return Math.max(4_000, Math.floor((contextSize - reply) * 3));
}

function lineCount(text: string): number {
    const lines = splitLines(text);
    return lines.length > 1 && lines[lines.length - 1] === "" ? lines.length - 1 : lines.length;
}

/** The first lines of `text` whose length (with line breaks) is at most `max`: how many, and the text. */
function headLines(text: string, max: number): { count: number; text: string } {
    const lines = splitLines(text);
    let used = 0;
    let count = 0;
    for (const line of lines) {
        const cost = line.length + (count > 0 ? 1 : 0);
        if (used + cost > max) break;
        used += cost;
        count++;
    }
    return { count, text: lines.slice(0, count).join("\n") };
}

/**
 * Shares `max` characters among items of these sizes: an item smaller than an equal share of what is left gets its
 * whole size, the others share the rest equally.
 */
function allocate(sizes: readonly number[], max: number): number[] {
    const order = sizes.map((size, i) => ({ size, i })).sort((a, b) => a.size - b.size);
    const out = new Array<number>(sizes.length).fill(0);
    let left = max;
    order.forEach(({ size, i }, k) => {
        const share = Math.floor(left / (order.length - k));
        out[i] = Math.min(size, share);
        left -= out[i]!;
    });
    return out;
}

const number = new Intl.NumberFormat("en-US");

function rangeLabel(first: number, last: number): string {
    return first === last ? `line ${first}` : `lines ${first}–${last}`;
}

/** The user turn for `question` with `context` attached. */
export function buildChatPrompt(question: string, context: readonly ContextCode[], options: ChatPromptOptions = {}): ChatPrompt {
    const max = options.maxContextChars ?? DEFAULT_CONTEXT_CHARS;
    const items = [...context.filter((c) => c.kind === "file"), ...context.filter((c) => c.kind === "selection")];
    const total = items.reduce((n, c) => n + c.text.length, 0);
    const allowed = total <= max ? items.map((c) => c.text.length) : allocate(items.map((c) => c.text.length), max);
    const sections: string[] = [];
    const notes: string[] = [];
    const limit = `the attached code is limited to ${number.format(max)} characters`;

    items.forEach((item, i) => {
        const lang = languageName(item.languageId);
        const lines = lineCount(item.text);
        const whole = item.text.length <= allowed[i]!;
        const head = whole ? { count: lines, text: item.text } : headLines(item.text, allowed[i]!);
        const firstLine = item.kind === "selection" && item.range ? item.range.start.line + 1 : 1;
        const where = item.kind === "file"
            ? `File \`${item.path}\``
            : `Selected ${rangeLabel(firstLine, firstLine + lines - 1)} of \`${item.path}\``;
        if (whole) {
            sections.push(`${where} (${lang}):\n\n${fenced(item.text, item.languageId)}`);
            return;
        }
        if (head.count === 0) {
            sections.push(`${where} (${lang}, ${lines} ${lines === 1 ? "line" : "lines"}) is attached but left out: it does not fit the size limit.`);
            notes.push(`${item.path}: ${item.kind === "file" ? "the file" : "the selection"} was left out (${limit}).`);
            return;
        }
        const shown = rangeLabel(firstLine, firstLine + head.count - 1);
        const of = item.kind === "file" ? `${lines}` : rangeLabel(firstLine, firstLine + lines - 1);
        sections.push(`${where} (${lang}), only ${shown} of ${of} (the rest is left out to fit the size limit):\n\n${fenced(head.text, item.languageId)}`);
        notes.push(`${item.path}: only ${shown} of ${of} were sent (${limit}).`);
    });

    sections.push(question.trim());
    return { text: sections.join("\n\n"), notes };
}

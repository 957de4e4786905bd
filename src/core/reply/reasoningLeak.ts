// Detects reasoning that leaked into text meant for the document: a `<think>`/`</think>` tag, or a line of the
// model's thinking prose. Code the model drafted while thinking and then repeated in its answer is normal and
// is not a leak, so only prose lines of the reasoning count (sentences a user would recognise as thinking,
// not lines of code or comments).

const TAG_RE = /<\/?think>/;

/** Lower-case words that start lines of code, never a sentence of reasoning prose. */
const CODE_FIRST_WORDS = new Set([
    "return", "def", "if", "elif", "else", "for", "while", "import", "from", "class", "const", "let", "var",
    "function", "async", "await", "try", "except", "catch", "finally", "with", "print", "raise", "throw", "yield",
    "export", "public", "private", "protected", "static", "fn", "pub", "use", "package", "func", "case", "switch",
    "do", "new", "delete", "assert", "pass", "break", "continue", "lambda", "not", "type", "interface", "enum",
    "struct", "impl", "mod", "namespace", "using", "include", "select", "insert", "update", "echo", "local",
    "self", "this", "super", "void", "int", "char", "float", "double", "bool", "string", "final", "override",
    "readonly", "declare", "module", "require", "go", "defer", "match", "when", "val", "fun", "end", "then", "elsif",
    "unless", "until", "begin", "rescue", "ensure", "foreach", "goto", "default", "global", "nonlocal", "del",
    "console", "println", "printf", "std", "os", "sys", "np", "pd", "plt"
]);

const CODE_SYMBOLS = /[{}[\]=<>;|&$`\\^~]/g;
const HAN = /\p{Script=Han}/gu;
/** Things prose does not contain: assignments, operators, calls with no arguments, snake_case, camelCase. */
const CODE_PATTERN = /\s=\s|==|=>|->|::|\(\)|\+\+|&&|\|\||;\s*$|\b[a-z]+_\w+\b|\b[a-z]+[A-Z]\w*\b|^\w+\(/;
const COMMENT_START = /^(?:#|\/\/|\/\*|\*|--|;|%|<!--|'''|""")/;

/** True for a line that reads as a sentence of prose (English or CJK), not as code. */
export function isProseLine(line: string): boolean {
    const t = line.trim();
    if (t.length < 20) return false;
    if (COMMENT_START.test(t)) return false;
    if (CODE_PATTERN.test(t)) return false;
    const han = t.match(HAN)?.length ?? 0;
    const symbols = t.match(CODE_SYMBOLS)?.length ?? 0;
    if (symbols / t.length > 0.08) return false;
    if (han >= 8) return true;
    const words = t.split(/\s+/);
    if (words.length < 5) return false;
    const first = words[0]!.replace(/[^A-Za-z_]/g, "");
    if (CODE_FIRST_WORDS.has(first)) return false;
    if (/[{(,[\\]$/.test(t) || t.endsWith("=>")) return false;
    const letters = t.match(/[\p{L}\s]/gu)?.length ?? 0;
    return letters / t.length >= 0.75;
}

function normalizeLine(line: string): string {
    return line.trim().replace(/\s+/g, " ");
}

export type ReasoningLeak =
    | { kind: "tag"; tag: string; line: number }
    | { kind: "reasoningLine"; text: string; line: number };

/** Finds leaks of one reasoning text; build once, check many texts (blocks, edits). */
export class ReasoningLeakDetector {
    private readonly proseLines = new Set<string>();

    constructor(reasoning: string) {
        for (const raw of reasoning.split("\n")) {
            // Thinking prose starts at the margin; indented lines are code the model drafted (docstrings too).
            if (/^\s/.test(raw)) continue;
            if (isProseLine(raw)) this.proseLines.add(normalizeLine(raw));
        }
    }

    /** The first leak in `text`, or undefined. Lines are 0-based within `text`. */
    find(text: string): ReasoningLeak | undefined {
        const lines = text.split("\n");
        for (let i = 0; i < lines.length; i++) {
            const m = TAG_RE.exec(lines[i]!);
            if (m) return { kind: "tag", tag: m[0], line: i };
        }
        if (this.proseLines.size === 0) return undefined;
        for (let i = 0; i < lines.length; i++) {
            const n = normalizeLine(lines[i]!);
            if (n && this.proseLines.has(n)) return { kind: "reasoningLine", text: n, line: i };
        }
        return undefined;
    }
}

/** One-off check; see ReasoningLeakDetector. */
export function findReasoningLeak(text: string, reasoning = ""): ReasoningLeak | undefined {
    return new ReasoningLeakDetector(reasoning).find(text);
}

/** A sentence saying what leaked, for refusals and block reasons. */
export function describeLeak(leak: ReasoningLeak): string {
    if (leak.kind === "tag") return `contains a ${leak.tag} tag (reasoning markup, not code)`;
    const shown = leak.text.length > 60 ? `${leak.text.slice(0, 57)}...` : leak.text;
    return `contains a line of the model's reasoning ("${shown}")`;
}

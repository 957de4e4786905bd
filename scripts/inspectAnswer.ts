// Prints how the product reads one raw model output: reasoning, answer, whether the thought closed, and the
// answer's code blocks, through the same functions the extension uses (splitReasoning / splitApiMessage,
// extractAnswerBlocks).
//
//   npm run -s inspect-answer -- FILE [--mode auto|startsInThought] [--verbose] [--pretty]
//   npm run -s inspect-answer -- -          (reads stdin)
//
// FILE holds either the raw text (with inline <think>…</think>), or JSON: a DeepSeek API message
// ({"reasoning_content", "content"}), a whole API response ({"choices": [{"message": …}]}), or an object with
// a "raw" string (the project's transcript fixtures; one with "raw": null and separate "reasoning"/"answer"
// fields is read like an API message). Output: one JSON object on one line,
//   {"reasoning": "…", "answer": "…", "complete": true, "blocks": [{"lang": "…", "code": "…", "applicable": true}]}
// --verbose adds "state" and, per block, "kind", "reason" and "fileHint". Exit codes: 0 ok, 1 unreadable
// input, 2 bad usage.

import { readFileSync } from "node:fs";
import { extractAnswerBlocks } from "../src/core/answer/answerBlocks";
import { type ApiMessage, type SplitMode, type SplitResult, splitApiMessage, splitReasoning } from "../src/core/reply/reasoningSplit";

export interface InspectOptions {
    mode?: SplitMode;
    verbose?: boolean;
}

export interface InspectBlock {
    lang: string;
    code: string;
    applicable: boolean;
    kind?: string;
    reason?: string;
    fileHint?: string;
}

export interface InspectOutput {
    reasoning: string;
    answer: string;
    complete: boolean;
    state?: string;
    blocks: InspectBlock[];
}

export class InputError extends Error {}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isApiMessage(v: Record<string, unknown>): boolean {
    return "reasoning_content" in v || typeof v["content"] === "string";
}

/** Splits the input text, whatever its format. */
export function splitInput(text: string, mode: SplitMode = "auto"): SplitResult {
    const trimmed = text.trimStart();
    if (trimmed.startsWith("{")) {
        let parsed: unknown;
        try {
            parsed = JSON.parse(trimmed);
        } catch {
            parsed = undefined; // raw output that happens to start with "{"
        }
        if (isRecord(parsed)) {
            if ("raw" in parsed) {
                // A transcript fixture recorded from the API ("format": "separate-fields") has no inline text:
                // its two fields are what the API returned as reasoning_content and content.
                if (parsed["raw"] === null && typeof parsed["reasoning"] === "string" && typeof parsed["answer"] === "string") {
                    return splitApiMessage({ reasoning_content: parsed["reasoning"], content: parsed["answer"] }, { mode });
                }
                if (typeof parsed["raw"] !== "string") {
                    throw new InputError('The JSON\'s "raw" field is not a string (this file holds no inline model output).');
                }
                return splitReasoning(parsed["raw"], { mode });
            }
            const choices = parsed["choices"];
            if (Array.isArray(choices) && isRecord(choices[0]) && isRecord(choices[0]["message"])) {
                return splitApiMessage(choices[0]["message"] as ApiMessage, { mode });
            }
            if (isApiMessage(parsed)) return splitApiMessage(parsed as ApiMessage, { mode });
        }
    }
    return splitReasoning(text, { mode });
}

/** The whole pipeline of the CLI, without the I/O. */
export function inspect(text: string, options: InspectOptions = {}): InspectOutput {
    const split = splitInput(text, options.mode);
    const blocks = extractAnswerBlocks(split.answer, { reasoning: split.reasoning }).map((b): InspectBlock => {
        const out: InspectBlock = { lang: b.lang, code: b.code, applicable: b.applicable };
        if (options.verbose) {
            out.kind = b.kind;
            if (b.reason) out.reason = b.reason;
            if (b.fileHint) out.fileHint = b.fileHint;
        }
        return out;
    });
    const result: InspectOutput = { reasoning: split.reasoning, answer: split.answer, complete: split.complete, blocks };
    if (options.verbose) result.state = split.state;
    return result;
}

const USAGE = "usage: inspect-answer FILE|- [--mode auto|startsInThought] [--verbose] [--pretty]";

function main(argv: string[]): number {
    const files: string[] = [];
    const options: InspectOptions = {};
    let pretty = false;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i]!;
        if (a === "--verbose" || a === "-v") options.verbose = true;
        else if (a === "--pretty") pretty = true;
        else if (a === "--mode" || a.startsWith("--mode=")) {
            const value = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
            if (value !== "auto" && value !== "startsInThought") {
                process.stderr.write(`inspect-answer: --mode must be auto or startsInThought\n${USAGE}\n`);
                return 2;
            }
            options.mode = value;
        } else if (a === "--help" || a === "-h") {
            process.stdout.write(`${USAGE}\n`);
            return 0;
        } else if (a.startsWith("--")) {
            process.stderr.write(`inspect-answer: unknown option ${a}\n${USAGE}\n`);
            return 2;
        } else files.push(a);
    }
    if (files.length !== 1) {
        process.stderr.write(`inspect-answer: give exactly one FILE (or - for stdin)\n${USAGE}\n`);
        return 2;
    }
    const file = files[0]!;
    let text: string;
    try {
        text = readFileSync(file === "-" ? 0 : file, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : (e as Error).message;
        process.stderr.write(`inspect-answer: cannot read ${file === "-" ? "stdin" : file}: ${why}\n`);
        return 1;
    }
    try {
        const out = inspect(text, options);
        process.stdout.write(`${JSON.stringify(out, null, pretty ? 2 : undefined)}\n`);
        return 0;
    } catch (e) {
        if (e instanceof InputError) {
            process.stderr.write(`inspect-answer: ${file}: ${e.message}\n`);
            return 1;
        }
        throw e;
    }
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}

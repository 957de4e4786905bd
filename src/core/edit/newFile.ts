// "Create file" from a chat answer: a code block the answer puts under a path that is not a file yet
// ("### `src/utils/price.ts`", "Create `src/x.ts`:", ```ts title=src/x.ts, ```ts:src/x.ts; see answerBlocks'
// fileHint). The path comes from model output, so it is untrusted: it must name a file inside the workspace
// folder, written relative to it (or absolute but inside it), without `..`, without a drive, home or URL, and
// never inside `.git`. The text is the block's code, refused like an edit would be (reasoning, placeholders,
// cut off, the wrong language for the file's extension).

import { extractAnswerBlocks } from "../answer/answerBlocks";
import { matchLanguage, normalizeLanguage } from "../answer/languageIds";
import { findPlaceholder } from "./blockChoice";

export type NewFilePathCheck = { ok: true; /** Relative to the workspace folder, "/"-separated. */ path: string } | { ok: false; reason: string };

const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|com\d|lpt\d)(?:\..*)?$/i;
const MAX_PATH = 400;
const MAX_SEGMENT = 255;

/** Where a new file named by the answer would go, relative to the workspace folder at `root` (a "/" path), or why not. */
export function checkNewFilePath(hint: string, root: string): NewFilePathCheck {
    const shown = hint.length > 80 ? `${hint.slice(0, 79)}…` : hint;
    const no = (why: string): NewFilePathCheck => ({ ok: false, reason: `"${shown}" ${why}` });
    let p = hint.trim();
    if (p === "") return { ok: false, reason: "The answer names no file." };
    if (/[\u0000-\u001f\u007f]/.test(p)) return no("contains control characters.");
    if (/^[a-z][a-z0-9+.-]+:/i.test(p)) return no("is not a path in the workspace."); // file:, https:, vscode: …
    p = p.replace(/\\/g, "/");
    if (p.startsWith("~")) return no("is outside the workspace.");
    if (/^[a-z]:\//i.test(p) || p.startsWith("//")) return no("is outside the workspace.");
    if (p.startsWith("/")) {
        const base = root.replace(/\/+$/, "");
        if (!base || !p.startsWith(`${base}/`)) return no("is outside the workspace.");
        p = p.slice(base.length + 1);
    }
    const segments = p.split("/").filter((s) => s !== "" && s !== ".");
    if (segments.length === 0) return no("names no file.");
    if (segments.includes("..")) return no("climbs out of its folder (`..`): only paths inside the workspace are created.");
    if (segments.some((s) => s.toLowerCase() === ".git")) return no("is inside .git.");
    for (const s of segments) {
        if (s.length > MAX_SEGMENT || /[:*?"<>|]/.test(s) || /[. ]$/.test(s) || WINDOWS_RESERVED.test(s)) return no("is not a valid file name.");
    }
    const path = segments.join("/");
    if (path.length > MAX_PATH) return no("is too long.");
    return { ok: true, path };
}

export type NewFileText = { ok: true; text: string } | { ok: false; reason: string };

/** The text of the file to create from block `blockIndex` of the final answer (never from the reasoning). */
export function newFileText(answer: string, blockIndex: number, path: string, reasoning?: string): NewFileText {
    const block = extractAnswerBlocks(answer, reasoning ? { reasoning } : {})[blockIndex];
    if (!block) return { ok: false, reason: "That code block is not in the answer." };
    if (!block.applicable) return { ok: false, reason: block.reason ?? "The block is not code to apply." };
    if (!block.terminated) return { ok: false, reason: "The code block was cut off (the answer ended inside it)." };
    const placeholder = findPlaceholder(block.code);
    if (placeholder) return { ok: false, reason: `The code leaves parts out ("${placeholder}"); a file made from it would be incomplete.` };
    const extension = /\.([A-Za-z0-9]+)$/.exec(path)?.[1];
    const fileLanguage = extension ? normalizeLanguage(extension.toLowerCase()) : "";
    if (block.langId && fileLanguage && fileLanguage !== extension?.toLowerCase() && matchLanguage(block.langId, fileLanguage) === "unrelated") {
        return { ok: false, reason: `The code block is ${block.lang}, but ${path.split("/").pop()} is a ${fileLanguage} file.` };
    }
    const code = block.code.replace(/\s+$/, "");
    return { ok: true, text: `${code}\n` };
}

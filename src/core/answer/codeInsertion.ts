// Code inserted at the cursor by "Insert at Cursor": the document's line breaks; when the cursor stands after
// indentation only, the following lines are indented like the first (which gets the indentation already in front
// of the cursor), and code inserted before the rest of a line goes on lines of its own.

import type { Eol } from "../edit/textEdit";

/**
 * `code` ready to insert at a cursor with `linePrefix` before it and `lineSuffix` after it on its line.
 */
export function codeForInsertion(code: string, linePrefix: string, lineSuffix: string, eol: Eol): string {
    let lines = code.replace(/\r\n?/g, "\n").split("\n");
    while (lines.length > 1 && lines[lines.length - 1] === "") lines = lines.slice(0, -1);
    const atIndentation = /^[ \t]*$/.test(linePrefix);
    if (atIndentation && linePrefix) lines = lines.map((l, i) => (i === 0 || l === "" ? l : linePrefix + l));
    let text = lines.join(eol);
    // Before code on the same line: that code moves to the next line, at the same indentation.
    if (atIndentation && lineSuffix.trim() !== "") text += eol + linePrefix;
    return text;
}

// Hostile: untrusted text shown by VS Code's own surfaces stays text. A notification makes `[label](command:…)` a
// link that runs the command (VS Code's notification link syntax); a status bar text makes `$(name)` an icon.
import assert from "node:assert/strict";
import { test } from "node:test";
import { escapeIcons, noticeText } from "../../../src/core/answer/untrustedText";

/** VS Code's notification link pattern (NotificationViewItem's LINK_REGEX in Code-OSS 1.139). */
const notificationLink = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

test("Hostile: no command, file or web link survives in a notification's untrusted text", () => {
    const hostile = [
        "[Fix it](command:workbench.action.terminal.new)",
        "see [x](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%5Cn%22%7D \"run\")",
        "[a] (command:x) [b]\t(file:///etc/passwd) [c](https://evil.test/)",
        "architecture '[x](command:_workbench.downloadResource)' is not supported"
    ];
    for (const text of hostile) {
        const shown = noticeText(text);
        assert.equal(shown.match(notificationLink), null, shown);
        assert.equal(shown.replace(/\u2060/g, "").replace(/\]\s*\(/g, "]("), text.replace(/\]\s*\(/g, "]("), "only a word joiner was added");
    }
    assert.equal(noticeText("Fixed: TS2322 gone (no new problems)"), "Fixed: TS2322 gone (no new problems)");
});

test("Hostile: icon syntax from a model name stays text in the status bar", () => {
    assert.equal(escapeIcons("$(alert) evil $(loading~spin)"), "\\$(alert) evil \\$(loading~spin)");
    assert.equal(escapeIcons("already \\$(x)"), "already \\$(x)");
    assert.equal(escapeIcons("DeepSeek-R1-Distill-Qwen-1.5B"), "DeepSeek-R1-Distill-Qwen-1.5B");
});

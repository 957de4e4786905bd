// Untrusted text (a model's output, a model file's metadata, a file name, a server's error) shown by VS Code's own
// surfaces, which give some syntax a meaning: a notification turns `[label](command:…)` into a link that runs the
// command when clicked, and status bar texts and quick pick labels turn `$(name)` into an icon. These keep such text
// literal. (Markdown tooltips take untrusted text through MarkdownString.appendText instead.)

/** A notification's untrusted part: `[label](target)` is no link (a word joiner goes between `]` and `(`). */
export function noticeText(text: string): string {
    return text.replace(/\]\s*\(/g, "]\u2060(");
}

/** A status bar text's or quick pick label's untrusted part: `$(name)` stays text (VS Code's escape is a backslash). */
export function escapeIcons(text: string): string {
    return text.replace(/(\\)?\$\(/g, (match, escaped: string | undefined) => (escaped ? match : "\\$("));
}

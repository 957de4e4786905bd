// Which links from a model's answer may be opened: absolute http(s) URLs only, never with a user name or password
// (https://docs.example.com@evil.test/ reads as one host and goes to another). Everything else (command:, file:,
// javascript:, vscode:, data:, relative links) is refused. An allowed link still opens only after the user
// confirmed it, seeing the exact URL.

export type LinkCheck = { ok: true; url: string; host: string } | { ok: false; reason: string };

export function checkLink(raw: string): LinkCheck {
    const text = raw.trim();
    let url: URL;
    try {
        url = new URL(text);
    } catch {
        return { ok: false, reason: "it is not an absolute web address" };
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        return { ok: false, reason: `only http and https links are opened, not ${url.protocol.replace(/:$/, "")}:` };
    }
    if (url.username || url.password) return { ok: false, reason: "links with a user name or password are not opened" };
    if (!url.hostname) return { ok: false, reason: "it names no host" };
    return { ok: true, url: url.href, host: url.host };
}

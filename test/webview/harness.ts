// Opens the real webview bundle (media/dist/webview.js + webview.css, with media/chat.css and codicons, as
// src/features/webviewHtml.ts loads them) standalone in headless Chromium, in a page that stands in for
// VS Code's webview frame (test/webview/page/harnessPage.ts). Used by the
// webview tests and by bench/webview.ts.
//
// The page is served from a made-up origin through Playwright's request interception: nothing listens on
// a port, and every request that is not one of the harness files is refused and recorded (a hostile
// image, stylesheet or prefetch would show up there).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import { themes, type ThemeName } from "./themes";

export const chromiumPath = "/usr/bin/chromium";
export const repoRoot = join(__dirname, "..", "..", "..");
const origin = "http://r1-webview.test";

/** Why the harness cannot run here (undefined when it can). */
export function harnessUnavailable(): string | undefined {
    if (!existsSync(chromiumPath)) return `${chromiumPath} is missing (apt-get install -y chromium)`;
    if (!existsSync(join(repoRoot, "media/dist/webview.js"))) return "media/dist/webview.js is missing: run node scripts/build.mjs first";
    return undefined;
}

export function launchBrowser(): Promise<Browser> {
    return chromium.launch({
        executablePath: chromiumPath,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"]
    });
}

export interface HarnessOptions {
    theme?: ThemeName;
    /** Apply a VS Code-like Content Security Policy (default true). Off, sanitization alone must hold. */
    csp?: boolean;
    width?: number;
    height?: number;
    /** Device pixel ratio (2 for crisp screenshots). */
    scale?: number;
    /** Emulate prefers-reduced-motion (default true: stable screenshots; the benchmark turns it off). */
    reducedMotion?: boolean;
}

// VS Code's default webview stylesheet (the parts that matter here), as every webview gets it.
const vscodeDefaultCss = `
html { scrollbar-color: var(--vscode-scrollbarSlider-background) transparent; }
body { background-color: transparent; color: var(--vscode-editor-foreground); font-family: var(--vscode-font-family);
  font-weight: var(--vscode-font-weight); font-size: var(--vscode-font-size); margin: 0; padding: 0 20px; }
img, video { max-width: 100%; max-height: 100%; }
a, a code { color: var(--vscode-textLink-foreground); }
code { color: var(--vscode-textPreformat-foreground); background-color: var(--vscode-textPreformat-background); padding: 1px 3px; border-radius: 4px; }
blockquote { background: var(--vscode-textBlockQuote-background); border-color: var(--vscode-textBlockQuote-border); }
::-webkit-scrollbar { width: 10px; height: 10px; }
::-webkit-scrollbar-thumb { background-color: var(--vscode-scrollbarSlider-background); }
::-webkit-scrollbar-thumb:hover { background-color: var(--vscode-scrollbarSlider-hoverBackground); }
::-webkit-scrollbar-thumb:active { background-color: var(--vscode-scrollbarSlider-activeBackground); }
`;

let pageScript: string | undefined;
function harnessPageScript(): string {
    pageScript ??= buildSync({
        entryPoints: [join(repoRoot, "test/webview/page/harnessPage.ts")],
        bundle: true, format: "iife", platform: "browser", target: "chrome120", write: false, logLevel: "silent"
    }).outputFiles[0].text;
    return pageScript;
}

export function harnessHtml(options: HarnessOptions = {}): string {
    const theme = themes[options.theme ?? "dark"];
    const nonce = "r1harness";
    const csp = `default-src 'none'; style-src ${origin}; font-src ${origin}; script-src 'nonce-${nonce}'; img-src ${origin}; connect-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'`;
    const config = JSON.stringify({ bodyClass: theme.bodyClass, background: theme.background, vars: theme.vars }).replace(/</g, "\\u003c");
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
${options.csp === false ? "" : `<meta http-equiv="Content-Security-Policy" content="${csp}">`}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>R1 Reasoner webview harness</title>
<link rel="stylesheet" href="${origin}/vscode-default.css">
<link rel="stylesheet" href="${origin}/media/dist/codicon.css">
<link rel="stylesheet" href="${origin}/media/chat.css">
<link rel="stylesheet" href="${origin}/media/dist/webview.css">
<script type="application/json" id="r1-harness-config">${config}</script>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${origin}/harness-page.js"></script>
<script nonce="${nonce}" src="${origin}/media/dist/webview.js"></script>
</body>
</html>`;
}

const contentTypes: Record<string, string> = { js: "text/javascript", css: "text/css", ttf: "font/ttf", html: "text/html", map: "application/json" };

export class Harness {
    /** Requests the page made that are not harness files (refused). */
    readonly strayRequests: string[] = [];
    /** Uncaught page errors and console errors. */
    readonly errors: string[] = [];

    private constructor(readonly page: Page) {}

    static async open(browser: Browser, options: HarnessOptions = {}): Promise<Harness> {
        const context = await browser.newContext({
            viewport: { width: options.width ?? 480, height: options.height ?? 820 },
            deviceScaleFactor: options.scale ?? 1,
            colorScheme: options.theme === "light" ? "light" : "dark",
            reducedMotion: options.reducedMotion === false ? "no-preference" : "reduce"
        });
        const page = await context.newPage();
        const harness = new Harness(page);
        const html = harnessHtml(options);
        await context.route("**/*", async (route) => {
            const url = route.request().url();
            if (!url.startsWith(`${origin}/`)) {
                harness.strayRequests.push(url);
                return route.abort("blockedbyclient");
            }
            const path = url.slice(origin.length).split(/[?#]/)[0];
            const send = (body: string | Buffer, type: string) => route.fulfill({ status: 200, body, contentType: type });
            if (path === "/harness.html") return send(html, contentTypes.html);
            if (path === "/harness-page.js") return send(harnessPageScript(), contentTypes.js);
            if (path === "/vscode-default.css") return send(vscodeDefaultCss, contentTypes.css);
            const file = join(repoRoot, path);
            if ((path.startsWith("/media/dist/") || path === "/media/chat.css") && !path.includes("..") && existsSync(file)) {
                return send(readFileSync(file), contentTypes[path.split(".").pop() ?? ""] ?? "application/octet-stream");
            }
            harness.strayRequests.push(url);
            return route.abort("blockedbyclient");
        });
        page.on("pageerror", (e) => harness.errors.push(`pageerror: ${e.message}`));
        page.on("console", (m) => { if (m.type() === "error") harness.errors.push(`console: ${m.text()}`); });
        await page.goto(`${origin}/harness.html`);
        await page.waitForFunction("typeof window.r1Harness === 'object' && document.querySelector('.r1-conversation') !== null");
        return harness;
    }

    /** Delivers a host → webview message (synchronously, as a `message` event). */
    async post(message: unknown): Promise<void> {
        await this.page.evaluate((m) => (globalThis as unknown as HarnessWindow).r1Harness.post(m), message);
    }

    /** Delivers several messages, one per animation frame when `perFrame` (as a stream arrives). */
    async postAll(messages: unknown[], perFrame = false): Promise<void> {
        await this.page.evaluate(async ({ list, perFrame }) => {
            const h = (globalThis as unknown as HarnessWindow).r1Harness;
            for (const m of list) {
                h.post(m);
                if (perFrame) await h.frames(1);
            }
        }, { list: messages, perFrame });
    }

    /** Waits until pending frame work has run. */
    async settle(frames = 3): Promise<void> {
        await this.page.evaluate((n) => (globalThis as unknown as HarnessWindow).r1Harness.frames(n), frames);
    }

    async posted(): Promise<unknown[]> {
        return this.page.evaluate(() => (globalThis as unknown as HarnessWindow).r1Harness.posted);
    }

    async answerHtml(turnId: string): Promise<string | null> {
        return this.page.evaluate((id) => (globalThis as unknown as HarnessWindow).r1Harness.answerHtml(id), turnId);
    }

    /** Policy violations in the DOM under `selector` (default: the whole conversation). */
    async audit(selector = ".r1-conversation"): Promise<string[]> {
        return this.page.evaluate((sel) => (globalThis as unknown as HarnessWindow).r1Harness.audit(sel), selector);
    }

    /** Streams answer chunks into a new turn with a render after every `renderEvery` chunks; see harnessPage.ts. */
    async streamAnswer(turnId: string, chunks: string[], renderEvery = 1, compareEvery = 0): Promise<StreamAnswerResult> {
        return this.page.evaluate(({ turnId, chunks, renderEvery, compareEvery }) =>
            (globalThis as unknown as HarnessWindow).r1Harness.streamAnswer(turnId, chunks, renderEvery, compareEvery),
        { turnId, chunks, renderEvery, compareEvery });
    }

    /** The answer HTML of a one-pass render of `text`. */
    async renderFull(text: string): Promise<string> {
        return this.page.evaluate((t) => (globalThis as unknown as HarnessWindow).r1Harness.renderFull(t), text);
    }

    /** Manual frames: frame callbacks run only when runFrame() is called. */
    async setManual(on: boolean): Promise<void> {
        await this.page.evaluate((m) => (globalThis as unknown as HarnessWindow).r1Harness.setManual(m), on);
    }

    /** Clicks, middle-clicks and presses Enter on every element matching `selector` (synthetic events). */
    async activateAll(selector: string): Promise<number> {
        return this.page.evaluate((sel) => (globalThis as unknown as HarnessWindow).r1Harness.activateAll(sel), selector);
    }

    async runFrame(): Promise<void> {
        await this.page.evaluate(() => (globalThis as unknown as HarnessWindow).r1Harness.runFrame());
    }

    /** Evaluates a JavaScript expression in the page (for small DOM queries). */
    async value<T>(expression: string): Promise<T> {
        return this.page.evaluate(expression) as Promise<T>;
    }

    async pwned(): Promise<unknown> {
        return this.page.evaluate(() => (globalThis as unknown as HarnessWindow).r1Harness.pwned());
    }

    async close(): Promise<void> {
        await this.page.context().close();
    }
}

/** What harnessPage.ts puts on window (typed loosely: this side has no DOM types). */
export interface HarnessWindow {
    r1Harness: {
        post(message: unknown): void;
        posted: unknown[];
        frames(n?: number): Promise<void>;
        answerHtml(turnId: string): string | null;
        audit(selector: string): string[];
        pwned(): unknown;
        runStream(spec: unknown): Promise<unknown>;
        streamAnswer(turnId: string, chunks: string[], renderEvery: number, compareEvery: number): StreamAnswerResult;
        renderFull(text: string): string;
        setManual(on: boolean): void;
        runFrame(): void;
        activateAll(selector: string): number;
    };
}

export interface StreamAnswerResult {
    mismatches: { chunk: number; prefix: string; got: string; want: string }[];
    final: string;
}

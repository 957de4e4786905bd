// Runs inside the harness page, before media/dist/webview.js: plays the part of VS Code around a webview
// (theme variables, body class, acquireVsCodeApi), sets traps for hostile content, times the webview's
// animation-frame work, and exposes helpers to the tests as `window.r1Harness`.

import { msg, stats } from "../messages";

interface HarnessConfig {
    bodyClass: string;
    background: string;
    vars: Record<string, string>;
}

interface FrameRecord {
    /** Tokens sent so far when this frame's work ran. */
    tokens: number;
    phase: "thought" | "answer";
    /** ms spent in message handlers for the batch dispatched in this frame. */
    dispatchMs: number;
    /** ms spent in the webview's animation-frame callbacks this frame, plus the style/layout they caused. */
    renderMs: number;
    /** The part of renderMs spent in style and layout after the callbacks. */
    layoutMs: number;
    /** ms since the previous frame (rAF timestamps). */
    gapMs: number;
}

interface StreamSpec {
    turnId: string;
    thought: string[];
    answer: string[];
    tokensPerFrame: number;
    thoughtBudget: number;
    /** Leave a trace mark (console.timeStamp "<markPrefix>:N") each time N tokens, a multiple of this, have been sent. */
    markEvery?: number;
    markPrefix?: string;
    /** Clear the view and start a new turn each time this many more tokens have been sent (a constant-size probe). */
    restartEvery?: number;
}

interface StreamResult {
    /** ms the final message (turnFinished: render everything as final) took to handle. */
    finishMs: number;
    frames: FrameRecord[];
    longTasks: number[];
    longFrames: number[];
}

type Win = Window & typeof globalThis & Record<string, unknown>;
const win = window as Win;

const config = JSON.parse(document.getElementById("r1-harness-config")?.textContent ?? "{}") as HarnessConfig;
for (const [name, value] of Object.entries(config.vars ?? {})) document.documentElement.style.setProperty(name, value);
document.documentElement.style.setProperty("background", config.background ?? "transparent");
document.body.classList.add(config.bodyClass ?? "vscode-dark");
document.body.dataset.vscodeThemeKind = config.bodyClass;

// ---- traps: anything hostile content manages to run sets __pwned -------------------------------
win.__pwned = undefined;
for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
    win[name] = (...args: unknown[]) => {
        win.__pwned = `${name}(${args.map(String).join(", ")})`;
        return null;
    };
}

// ---- fake VS Code webview API -------------------------------------------------------------------
const posted: unknown[] = [];
let state: unknown;
win.acquireVsCodeApi = () => ({
    postMessage: (message: unknown) => { posted.push(JSON.parse(JSON.stringify(message))); },
    getState: () => state,
    setState: (s: unknown) => { state = s; }
});

// ---- timing and control of the webview's frame work ---------------------------------------------
// Every animation-frame callback the webview requests is wrapped: its time (plus the style and layout it
// causes) is added to frameWorkMs. In manual mode callbacks are queued instead, and runFrame() runs them
// synchronously, so a test can render after every chunk of a long stream without waiting for frames.
const nativeRaf = window.requestAnimationFrame.bind(window);
const nativeCancel = window.cancelAnimationFrame.bind(window);
let frameWorkMs = 0;
let frameLayoutMs = 0;
let manual = false;
let fakeNow = 0;
let nextManualId = 1;
const manualQueue = new Map<number, FrameRequestCallback>();

function timed(callback: FrameRequestCallback, ts: number): void {
    const t0 = performance.now();
    try {
        callback(ts);
    } finally {
        const t1 = performance.now();
        void document.documentElement.getBoundingClientRect();
        const t2 = performance.now();
        frameWorkMs += t2 - t0;
        frameLayoutMs += t2 - t1;
    }
}

window.requestAnimationFrame = (callback: FrameRequestCallback): number => {
    if (manual) {
        const id = -nextManualId++;
        manualQueue.set(id, callback);
        return id;
    }
    return nativeRaf((ts) => timed(callback, ts));
};
window.cancelAnimationFrame = (id: number): void => {
    if (id < 0) manualQueue.delete(id);
    else nativeCancel(id);
};

function setManual(on: boolean): void {
    manual = on;
}

/** Manual mode: runs the queued frame callbacks now (time advances 1 s per frame: no throttling). */
function runFrame(): void {
    fakeNow = Math.max(fakeNow, performance.now()) + 1000;
    const callbacks = [...manualQueue.values()];
    manualQueue.clear();
    for (const cb of callbacks) timed(cb, fakeNow);
}

function post(message: unknown): void {
    window.dispatchEvent(new MessageEvent("message", { data: message }));
}

function frames(n = 2): Promise<void> {
    return new Promise((resolve) => {
        const step = (left: number) => (left <= 0 ? resolve() : nativeRaf(() => step(left - 1)));
        step(n);
    });
}

function reply(turnId: string): HTMLElement | null {
    return document.querySelector<HTMLElement>(`.r1-reply[data-turn-id="${CSS.escape(turnId)}"]`);
}

// Elements and attributes the page may contain inside a reply: the sanitized markdown allow-list plus
// the elements the components build themselves.
const allowedTags = new Set([
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre",
    "span", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
    "article", "header", "section", "div", "button", "progress"
]);
const forbiddenTags = new Set([
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "textarea",
    "select", "option", "svg", "math", "link", "meta", "base", "img", "picture", "source", "video", "audio",
    "track", "canvas", "template", "noscript", "portal", "dialog", "details", "marquee", "image", "use"
]);

// Inside the rendered markdown (outside the code block frames the view builds itself) only what the
// sanitizer's allow-list permits may appear.
const markdownTags = new Set([
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre",
    "span", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul"
]);
const markdownAttributes = new Set(["class", "title", "start", "align", "data-r1-href", "role", "tabindex"]);

function markdownZoneProblems(node: Element): string[] {
    if (node.classList.contains("r1-markdown") || !node.closest(".r1-markdown")) return [];
    if (node.closest(".r1-codeblock-header") || node.classList.contains("r1-codeblock")) return [];
    if (node.localName === "div" && node.className === "r1-mdchunk" && node.attributes.length === 1 && node.parentElement?.classList.contains("r1-markdown")) return [];
    const problems: string[] = [];
    const tag = node.localName;
    if (!markdownTags.has(tag)) problems.push(`<${tag}> in rendered markdown`);
    for (const attr of [...node.attributes]) {
        if (!markdownAttributes.has(attr.name)) problems.push(`attribute ${attr.name} on <${tag}> in rendered markdown`);
        if (attr.name === "role" && (tag !== "a" || attr.value !== "link")) problems.push(`role=${attr.value} on <${tag}>`);
        if (attr.name === "tabindex" && (tag !== "a" || attr.value !== "0")) problems.push(`tabindex=${attr.value} on <${tag}>`);
        if (attr.name === "data-r1-href" && tag !== "a") problems.push(`data-r1-href on <${tag}>`);
    }
    return problems;
}

/** Every way the DOM under `selector` breaks the rendering policy (empty when it is clean). */
function audit(selector = ".r1-conversation"): string[] {
    const root = document.querySelector(selector);
    if (!root) return [`no element ${selector}`];
    const problems: string[] = [];
    const scope = root.querySelectorAll("*");
    for (const node of [root, ...scope]) {
        const tag = node.localName;
        if (node.namespaceURI !== "http://www.w3.org/1999/xhtml") problems.push(`foreign element <${tag}> (${node.namespaceURI})`);
        if (forbiddenTags.has(tag)) problems.push(`forbidden element <${tag}>`);
        if (!allowedTags.has(tag)) problems.push(`unexpected element <${tag}>`);
        problems.push(...markdownZoneProblems(node));
        for (const attr of [...node.attributes]) {
            const name = attr.name.toLowerCase();
            const value = attr.value;
            if (name.startsWith("on")) problems.push(`event handler ${name} on <${tag}>`);
            if (name === "style") problems.push(`style attribute on <${tag}>`);
            if (["href", "src", "srcset", "action", "formaction", "xlink:href", "background", "poster", "srcdoc", "ping"].includes(name)) {
                problems.push(`${name}="${value}" on <${tag}>`);
            }
            if (name === "data-r1-href" && !/^https?:\/\/[^\s]+$/i.test(value)) problems.push(`unsafe link ${value}`);
            if (/^\s*(javascript|vbscript|data|command|vscode|file):/i.test(value)) problems.push(`dangerous URL in ${name} on <${tag}>: ${value}`);
            if (name === "class" && value.split(/\s+/).some((c) => c && !/^(r1-|hljs|language-|codicon)|^[a-z]+_{1,2}$/.test(c))) {
                problems.push(`unexpected class "${value}" on <${tag}>`);
            }
        }
    }
    return problems;
}

async function runStream(spec: StreamSpec): Promise<StreamResult> {
    const longTasks: number[] = [];
    const longFrames: number[] = [];
    const observers: PerformanceObserver[] = [];
    for (const [type, sink] of [["longtask", longTasks], ["long-animation-frame", longFrames]] as const) {
        if (!PerformanceObserver.supportedEntryTypes.includes(type)) continue;
        const o = new PerformanceObserver((list) => { for (const e of list.getEntries()) sink.push(e.duration); });
        o.observe({ type, buffered: false });
        observers.push(o);
    }
    const prefix = spec.markPrefix ?? "r1";
    let turnId = spec.turnId;
    if (spec.markEvery) console.timeStamp(`${prefix}:0`);
    post(msg.start(turnId, { prompt: "Benchmark", thoughtBudget: spec.thoughtBudget, model: "synthetic" }));
    const total = spec.thought.length + spec.answer.length;
    const records: FrameRecord[] = [];
    const t0 = performance.now();
    let sent = 0;
    let thoughtTokens = 0;
    let answerTokens = 0;
    let lastTs = 0;
    let pendingDispatch = 0;
    let pendingTokens = 0;
    let pendingPhase: "thought" | "answer" = "thought";

    await new Promise<void>((resolve) => {
        const tick = (ts: number) => {
            // The work of the previous frame's batch has run by now (its flush was in the frame just past).
            if (lastTs !== 0) {
                records.push({ tokens: pendingTokens, phase: pendingPhase, dispatchMs: pendingDispatch, renderMs: frameWorkMs, layoutMs: frameLayoutMs, gapMs: ts - lastTs });
            }
            frameWorkMs = 0;
            frameLayoutMs = 0;
            lastTs = ts;
            if (sent >= total) {
                resolve();
                return;
            }
            const end = Math.min(total, sent + spec.tokensPerFrame);
            if (spec.restartEvery && sent > 0 && Math.floor(end / spec.restartEvery) > Math.floor(sent / spec.restartEvery)) {
                post(msg.clear());
                turnId = `${spec.turnId}-${sent}`;
                post(msg.start(turnId, { prompt: "Probe", thoughtBudget: spec.thoughtBudget, model: "synthetic" }));
            }
            let thought = "";
            let answer = "";
            for (let i = sent; i < end; i++) {
                if (i < spec.thought.length) {
                    thought += spec.thought[i];
                    thoughtTokens++;
                } else {
                    answer += spec.answer[i - spec.thought.length];
                    answerTokens++;
                }
            }
            const elapsedMs = performance.now() - t0;
            const d0 = performance.now();
            post(msg.progress(turnId, {
                thought: thought || undefined,
                answer: answer || undefined,
                thoughtState: answer ? "ended" : "thinking",
                stats: stats(thoughtTokens, answerTokens, { tokensPerSecond: (end * 1000) / Math.max(1, elapsedMs), elapsedMs })
            }));
            pendingDispatch = performance.now() - d0;
            if (spec.markEvery && Math.floor(end / spec.markEvery) > Math.floor(sent / spec.markEvery)) {
                console.timeStamp(`${prefix}:${Math.floor(end / spec.markEvery) * spec.markEvery}`);
            }
            pendingPhase = answer ? "answer" : "thought";
            pendingTokens = end;
            sent = end;
            nativeRaf(tick);
        };
        nativeRaf(tick);
    });
    const f0 = performance.now();
    if (spec.restartEvery) post(msg.clear()); // a probe: its turns were partial, nothing to finish
    else post(msg.finish(turnId, { reasoning: spec.thought.join(""), answer: spec.answer.join(""), stats: stats(thoughtTokens, answerTokens, { elapsedMs: performance.now() - t0 }) }));
    const finishMs = performance.now() - f0;
    await frames(2);
    if (spec.markEvery) console.timeStamp(`${prefix}:-1`); // end of the measured stream
    for (const o of observers) o.disconnect();
    // Return in a task of its own: serializing the records for the caller is harness work, not ours.
    await new Promise((resolve) => setTimeout(resolve, 0));
    return { frames: records, longTasks, longFrames, finishMs };
}

/** The answer HTML of a one-pass render of `text` (a restored turn), the reference for incremental renders. */
function renderFull(text: string, normalized = false): string {
    post(msg.restore("__reference", { answer: text }));
    const root = reply("__reference")?.querySelector(".r1-markdown");
    const html = normalized ? normalizedAnswer(root) : root?.innerHTML ?? "";
    reply("__reference")?.remove();
    return html;
}

/**
 * The answer HTML without what legitimately differs between a stream in progress and a final render: the
 * marks of a code block still streaming, and the grouping of completed blocks in chunks (the open tail
 * is not in a chunk yet).
 */
function normalizedAnswer(root: Element | null | undefined): string {
    if (!root) return "";
    const copy = root.cloneNode(true) as Element;
    for (const chunk of copy.querySelectorAll(".r1-mdchunk")) chunk.replaceWith(...chunk.childNodes);
    return copy.innerHTML.replace(/ r1-streaming/g, "").replace(/ disabled=""/g, "");
}

interface Mismatch { chunk: number; prefix: string; got: string; want: string }

/**
 * Streams `chunks` as answer text of a new turn, rendering after every `renderEvery` chunks (manual frames),
 * and compares the DOM with a one-pass render of the text so far every `compareEvery` renders (0: only at
 * the end). Returns the mismatches (empty when incremental == full everywhere checked).
 */
function streamAnswer(turnId: string, chunks: string[], renderEvery = 1, compareEvery = 0): { mismatches: Mismatch[]; final: string } {
    setManual(true);
    const mismatches: Mismatch[] = [];
    try {
        post(msg.start(turnId));
        let text = "";
        let renders = 0;
        for (let i = 0; i < chunks.length; i++) {
            text += chunks[i];
            post(msg.progress(turnId, { answer: chunks[i], thoughtState: "none" }));
            if ((i + 1) % renderEvery !== 0) continue;
            runFrame();
            renders++;
            if (compareEvery > 0 && renders % compareEvery === 0) {
                const got = normalizedAnswer(reply(turnId)?.querySelector(".r1-markdown"));
                const want = renderFull(text, true);
                if (got !== want && mismatches.length < 3) mismatches.push({ chunk: i, prefix: text, got, want });
            }
        }
        post(msg.finish(turnId, { reasoning: "", answer: text }));
        runFrame();
        const final = reply(turnId)?.querySelector(".r1-markdown")?.innerHTML ?? "";
        const want = renderFull(text);
        if (final !== want) mismatches.push({ chunk: chunks.length, prefix: text, got: final, want });
        return { mismatches, final };
    } finally {
        setManual(false);
    }
}

/** Clicks (synthetic click, middle click, Enter) every element matching `selector`; returns how many. */
function activateAll(selector: string): number {
    const elements = [...document.querySelectorAll<HTMLElement>(selector)];
    for (const el of elements) {
        el.click();
        el.dispatchEvent(new MouseEvent("auxclick", { bubbles: true, cancelable: true, button: 1 }));
        el.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
    }
    return elements.length;
}

win.r1Harness = {
    activateAll,
    post,
    posted,
    frames,
    reply,
    audit,
    runStream,
    setManual,
    runFrame,
    renderFull,
    streamAnswer,
    answerHtml: (turnId: string) => reply(turnId)?.querySelector(".r1-markdown")?.innerHTML ?? null,
    pwned: () => win.__pwned
};

// The chat around the turns, from the real bundle (media/dist/webview.js) in headless Chromium: the welcome of an
// empty chat and its recent chats, chips of attached code (removable with the mouse and the keyboard), `@file`
// completion, Enter / Shift+Enter / Stop, Regenerate, turns removed for a regenerate, the draft kept in the
// webview state, the model loading time, and the theme (no element-wide button rule leaking into components).
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { Harness, harnessUnavailable, launchBrowser, repoRoot } from "../../webview/harness";
import { msg, stats } from "../../webview/messages";
import type { HostToWebview, WebviewToHost } from "../../../src/shared/webviewProtocol";

const unavailable = harnessUnavailable();
if (unavailable) console.log(`# skipping webview chat tests: ${unavailable}`);

describe("chat webview shell in headless Chromium", { skip: unavailable }, () => {
    let browser: Browser;
    let h: Harness;

    before(async () => {
        browser = await launchBrowser();
    });
    after(async () => {
        await browser?.close();
    });
    beforeEach(async () => {
        await h?.close();
        h = await Harness.open(browser);
    });

    async function sent(): Promise<WebviewToHost[]> {
        return (await h.posted()) as WebviewToHost[];
    }
    async function sentOf<T extends WebviewToHost["type"]>(type: T): Promise<Extract<WebviewToHost, { type: T }>[]> {
        return (await sent()).filter((m): m is Extract<WebviewToHost, { type: T }> => m.type === type);
    }
    const post = (m: HostToWebview) => h.post(m);

    test("the webview says ready; an empty chat shows the welcome with the recent chats, which open on click", async () => {
        assert.deepEqual((await sent())[0], { type: "ready" });
        const welcome = h.page.locator(".r1-welcome");
        assert.equal(await welcome.isVisible(), true);
        assert.equal(await h.page.locator(".r1-recent").isVisible(), false, "no recent chats yet: no list");
        await post({
            type: "history", currentId: "now",
            items: [
                { id: "now", title: "The chat shown", updatedAt: Date.now(), turns: 1 },
                { id: "old", title: "Why does parsePrice fail?", updatedAt: Date.now() - 3 * 3600_000, turns: 2 }
            ]
        });
        const items = h.page.locator(".r1-recent-item");
        assert.equal(await items.count(), 1, "the chat shown is not listed");
        assert.match(await items.first().innerText(), /Why does parsePrice fail\?\s*3 h ago/);
        await items.first().click();
        assert.deepEqual((await sentOf("openChat")).pop(), { type: "openChat", id: "old" });
        await post(msg.start("t1", { prompt: "Hello" }));
        assert.equal(await welcome.isVisible(), false, "the welcome goes once the chat has a turn");
        await post(msg.clear());
        assert.equal(await welcome.isVisible(), true);
    });

    test("the header names the model; clicking it asks for another model", async () => {
        await post({ type: "status", text: "Ready", model: "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M" });
        const button = h.page.locator(".r1-model-button");
        assert.equal(await button.innerText(), "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M");
        assert.equal(await h.page.locator(".r1-state").getAttribute("data-state"), "ready");
        await button.click();
        assert.ok((await sentOf("selectModel")).length === 1);
        await post({ type: "status", text: "No model selected" });
        assert.equal(await button.getAttribute("aria-label"), "No model selected. Select a model");
    });

    test("chips of attached code: shown, removed by click, by Delete on the chip, and reached with Backspace", async () => {
        await post({
            type: "context", items: [
                { id: "c1", kind: "file", label: "cart.ts", detail: "src/cart.ts" },
                { id: "c2", kind: "selection", label: "util.py:5-9", detail: "src/util.py, lines 5–9" }
            ]
        });
        const chips = h.page.locator(".composer .r1-chip");
        assert.equal(await chips.count(), 2);
        assert.equal(await chips.nth(1).getAttribute("title"), "src/util.py, lines 5–9");
        assert.equal(await chips.nth(0).locator(".r1-chip-remove").getAttribute("aria-label"), "Remove cart.ts (src/cart.ts)");
        await chips.nth(0).locator(".r1-chip-remove").click();
        assert.deepEqual((await sentOf("removeContext")).pop(), { type: "removeContext", id: "c1" });
        // Keyboard: Backspace at the start of the empty prompt goes to the last chip; Delete removes it.
        const input = h.page.locator("textarea.prompt");
        await input.focus();
        await h.page.keyboard.press("Backspace");
        assert.equal(await h.value<string | null>("document.activeElement?.getAttribute('aria-label')"), "Remove util.py:5-9 (src/util.py, lines 5–9)");
        await h.page.keyboard.press("Delete");
        assert.deepEqual((await sentOf("removeContext")).pop(), { type: "removeContext", id: "c2" });
        // The host answers with the new list: the focus goes back to the prompt.
        await post({ type: "context", items: [] });
        assert.equal(await chips.count(), 0);
        assert.equal(await h.value<string>("document.activeElement?.tagName"), "TEXTAREA");
    });

    test("@ opens file completion: the query narrows, arrows move, Enter attaches and removes the @text, nothing is sent", async () => {
        const input = h.page.locator("textarea.prompt");
        await input.click();
        await h.page.keyboard.type("Explain @ca");
        const queries = await sentOf("queryFiles");
        assert.equal(queries.at(-1)?.query, "ca");
        assert.deepEqual(queries.map((q) => q.query), ["", "c", "ca"]);
        await post({
            type: "fileSuggestions", requestId: queries.at(-1)!.requestId, items: [
                { path: "src/cart.ts", name: "cart.ts", folder: "src" },
                { path: "test/cart.test.ts", name: "cart.test.ts", folder: "test" }
            ]
        });
        const list = h.page.locator(".r1-completion[role=listbox]");
        assert.equal(await list.isVisible(), true);
        assert.equal(await input.getAttribute("aria-expanded"), "true");
        assert.equal(await h.page.locator("[role=option]").count(), 2);
        // A stale answer (an older request id) does not replace the list.
        await post({ type: "fileSuggestions", requestId: queries[0]!.requestId, items: [] });
        assert.equal(await h.page.locator("[role=option]").count(), 2);
        await h.page.keyboard.press("ArrowDown");
        const activeId = await input.getAttribute("aria-activedescendant");
        assert.equal(await h.page.locator(`#${activeId}`).getAttribute("aria-label"), "cart.test.ts, test");
        await h.page.keyboard.press("Enter");
        assert.deepEqual((await sentOf("addFile")).pop(), { type: "addFile", path: "test/cart.test.ts" });
        assert.equal(await input.inputValue(), "Explain ");
        assert.equal(await list.isVisible(), false);
        assert.equal((await sentOf("send")).length, 0, "Enter chose the file; it did not send");
        // Escape closes the list; an e-mail address does not open it.
        await h.page.keyboard.type("@x");
        await post({ type: "fileSuggestions", requestId: (await sentOf("queryFiles")).at(-1)!.requestId, items: [] });
        assert.equal(await h.page.locator(".r1-completion-empty").innerText(), "No matching files");
        await h.page.keyboard.press("Escape");
        assert.equal(await list.isVisible(), false);
        const before = (await sentOf("queryFiles")).length;
        await input.fill("");
        await h.page.keyboard.type("mail me at a@b");
        assert.equal((await sentOf("queryFiles")).length, before, "a@b is not a mention");
    });

    test("Enter sends, Shift+Enter is a new line; while busy Stop replaces Send, Enter waits and Escape stops", async () => {
        const input = h.page.locator("textarea.prompt");
        await input.click();
        await h.page.keyboard.type("line one");
        await h.page.keyboard.press("Shift+Enter");
        await h.page.keyboard.type("line two");
        assert.equal((await sentOf("send")).length, 0);
        await h.page.keyboard.press("Enter");
        assert.deepEqual((await sentOf("send")).pop(), { type: "send", text: "line one\nline two" });
        assert.equal(await input.inputValue(), "");
        await post({ type: "busy", busy: true });
        assert.equal(await h.page.locator(".composer .stop").isVisible(), true);
        assert.equal(await h.page.locator(".composer .send").isVisible(), false);
        await h.page.keyboard.type("next question");
        await h.page.keyboard.press("Enter");
        assert.equal((await sentOf("send")).length, 1, "not sent while R1 is answering");
        assert.equal(await input.inputValue(), "next question", "the draft stays");
        await h.page.keyboard.press("Escape");
        assert.equal((await sentOf("stop")).length, 1);
        await h.page.locator(".composer .stop").click();
        assert.equal((await sentOf("stop")).length, 2);
        await post({ type: "busy", busy: false });
        await h.page.keyboard.press("Enter");
        assert.deepEqual((await sentOf("send")).pop(), { type: "send", text: "next question" });
    });

    test("the draft is kept in the webview state (it survives a reload of the webview)", async () => {
        await h.page.locator("textarea.prompt").click();
        await h.page.keyboard.type("half a question");
        const state = await h.value<{ draft?: string }>("acquireVsCodeApi().getState()");
        assert.equal(state?.draft, "half a question");
    });

    test("Regenerate under the last finished chat reply; a removed turn disappears with its request", async () => {
        await post({ ...msg.start("a", { prompt: "First" }), kind: "chat" } as HostToWebview);
        assert.equal(await h.page.locator(".r1-regenerate").count(), 0, "not while it runs");
        await post(msg.finish("a", { reasoning: "r", answer: "Answer A" }));
        await h.settle();
        assert.equal(await h.page.locator(".r1-regenerate").count(), 1);
        await post({ ...msg.start("b", { prompt: "Fix TS2322" }), kind: "fix" } as HostToWebview);
        await post(msg.finish("b", { reasoning: "r", answer: "fixed" }));
        assert.equal(await h.page.locator(".r1-regenerate").count(), 0, "a quick fix shown in the chat is not regenerated here");
        await post({ type: "turnRemoved", id: "b" });
        assert.equal(await h.page.locator('[data-turn-id="b"]').count(), 0, "request and reply are gone");
        const regenerate = h.page.locator('.r1-reply[data-turn-id="a"] .r1-regenerate');
        assert.equal(await regenerate.count(), 1);
        await regenerate.click();
        assert.deepEqual((await sentOf("regenerate")).pop(), { type: "regenerate", id: "a" });
    });

    test("a request shows the chips of the code it was sent with; a restored failed turn shows its error", async () => {
        await post({ ...msg.start("a", { prompt: "What is wrong?" }), context: [{ id: "a:0", kind: "file", label: "cart.ts", detail: "src/cart.ts" }] } as HostToWebview);
        assert.equal(await h.page.locator('.r1-request[data-turn-id="a"] .r1-chip').innerText(), "cart.ts");
        assert.equal(await h.page.locator('.r1-request[data-turn-id="a"] .r1-chip-remove').count(), 0, "sent chips are not removable");
        await post(msg.restore("s", { prompt: "Stopped", reasoning: "Half a thought", answer: "", stopReason: "abort", thoughtState: "unclosed", stats: stats(841, 0, { elapsedMs: 12_300 }) }));
        await h.settle();
        assert.match(await h.page.locator('.r1-reply[data-turn-id="s"] .r1-thought-title').innerText(), /^Stopped after thinking for 12 s · 841 tokens$/, "a stopped thought keeps its time");
        await post({ ...msg.restore("b", { prompt: "Again", answer: "" }), error: "The window was reloaded while R1 was answering." } as HostToWebview);
        await h.settle();
        assert.match(await h.page.locator('.r1-reply[data-turn-id="b"] .r1-notice-error').innerText(), /window was reloaded/);
        assert.deepEqual(await h.audit(), []);
    });

    test("model loading counts its seconds in the turn, then says how long it took", async () => {
        await post(msg.start("a", { prompt: "Hi", thoughtBudget: 4096, model: "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M" }));
        await post({ type: "progress", id: "a", progress: { thoughtState: "none", stats: stats(), notices: [{ kind: "modelLoading", model: "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M" }] } });
        const notice = h.page.locator(".r1-notice-loading .r1-notice-text");
        assert.match(await notice.innerText(), /^Loading DeepSeek-R1-Distill-Qwen-7B-Q4_K_M… \d+\.\d s$/);
        await h.page.waitForTimeout(350);
        const later = Number(/… (\d+\.\d) s/.exec(await notice.innerText())![1]);
        assert.ok(later >= 0.2, `the time counts up (${later} s)`);
        await post(msg.progress("a", { thought: "Okay, ", stats: stats(1) }));
        assert.match(await notice.innerText(), /^Loaded DeepSeek-R1-Distill-Qwen-7B-Q4_K_M in \d+\.\d s\.$/);
        // A restored turn does not spin.
        await post(msg.restore("b", { prompt: "x", reasoning: "t", answer: "y", notices: [{ kind: "modelLoading", model: "M" }] }));
        assert.equal(await h.page.locator('.r1-reply[data-turn-id="b"] .r1-notice-text').first().innerText(), "Loaded M.");
    });

    test("a remote server's usage figures show under the answer, as plain text; a local reply has none", async () => {
        await post(msg.start("r", { prompt: "Hi", thoughtBudget: 4096, model: "deepseek-reasoner @ api.deepseek.com" }));
        await post(msg.progress("r", { thought: "Okay, ", answer: "Hello.", stats: stats(3, 2, { usage: { promptTokens: 1234, completionTokens: 56, reasoningTokens: 40 } }) }));
        await h.settle();
        assert.equal(await h.page.locator('.r1-reply[data-turn-id="r"] .r1-usage').innerText(), "Server usage: 1,234 prompt · 56 completion (40 reasoning) tokens");
        await post(msg.start("l", { prompt: "Hi" }));
        await post(msg.progress("l", { thought: "Okay, ", answer: "Hello.", stats: stats(3, 2) }));
        await h.settle();
        assert.equal(await h.page.locator('.r1-reply[data-turn-id="l"] .r1-usage').count(), 0);
    });

    test("keyboard: every button has a name; Tab goes from the prompt to Attach and Send", async () => {
        await post({ type: "context", items: [{ id: "c1", kind: "file", label: "cart.ts", detail: "src/cart.ts" }] });
        await post({ ...msg.start("a", { prompt: "Q" }), kind: "chat" } as HostToWebview);
        await post(msg.finish("a", { reasoning: "r", answer: "```ts\nconst x = 1;\n```" }));
        await h.settle();
        const unnamed = await h.value<string[]>(`[...document.querySelectorAll("button")]
            .filter((b) => !(b.getAttribute("aria-label") || b.textContent.trim())).map((b) => b.className)`);
        assert.deepEqual(unnamed, []);
        const input = h.page.locator("textarea.prompt");
        await input.fill("question");
        await input.focus();
        await h.page.keyboard.press("Tab");
        assert.match(await h.value<string>("document.activeElement?.getAttribute('aria-label') ?? ''"), /^Attach Code/);
        await h.page.keyboard.press("Tab");
        assert.equal(await h.value<string | null>("document.activeElement?.getAttribute('aria-label')"), "Send (Enter)");
        await h.page.keyboard.press("Shift+Tab");
        await h.page.keyboard.press("Shift+Tab");
        assert.equal(await h.value<string>("document.activeElement?.tagName"), "TEXTAREA");
        await h.page.keyboard.press("Shift+Tab");
        assert.equal(await h.value<string | null>("document.activeElement?.getAttribute('aria-label')"), "Remove cart.ts (src/cart.ts)");
    });

    test("no page-wide button style: component buttons keep their own look", async () => {
        await post({ type: "context", items: [{ id: "c1", kind: "file", label: "cart.ts", detail: "src/cart.ts" }] });
        await post({ ...msg.start("a", { prompt: "Q" }), kind: "chat" } as HostToWebview);
        await post(msg.finish("a", { reasoning: "r", answer: "```ts\nconst x = 1;\n```" }));
        await h.settle();
        const backgrounds = await h.value<Record<string, string>>(`Object.fromEntries(
            [".r1-chip-remove", ".r1-codeblock-actions button", ".r1-regenerate", ".r1-thought-header", ".r1-model-button"]
                .map((sel) => [sel, getComputedStyle(document.querySelector(sel)).backgroundColor]))`);
        for (const [sel, bg] of Object.entries(backgrounds)) assert.equal(bg, "rgba(0, 0, 0, 0)", `${sel} has background ${bg}`);
        assert.equal(await h.value<boolean>(`[...document.styleSheets].flatMap((s) => [...s.cssRules]).some((r) => r instanceof CSSStyleRule && r.selectorText === "button")`), false);
        assert.deepEqual(h.errors, []);
        assert.deepEqual(h.strayRequests, []);
    });
    test("a chat drawn again after a reload ends scrolled to its last turn", async () => {
        await h.page.setViewportSize({ width: 300, height: 500 });
        await post({ type: "history", currentId: "c", items: [{ id: "old", title: "Older chat", updatedAt: Date.now() - 60_000, turns: 1 }] });
        const long = (n: number) => Array.from({ length: n }, (_, i) => `Paragraph ${i} of the answer, long enough to wrap in a narrow view.`).join("\n\n");
        await post(msg.clear());
        for (let i = 0; i < 3; i++) {
            await post({ ...msg.restore(`r${i}`, { prompt: `Question ${i}`, reasoning: long(6), answer: `${long(4)}\n\n\`\`\`ts\nconst x${i} = ${i};\n\`\`\`\n\n${long(3)}`, thoughtBudget: 4096 }), kind: "chat" } as HostToWebview);
        }
        await post({ type: "busy", busy: false });
        await h.settle(6);
        const gap = await h.value<number>("(() => { const t = document.querySelector('.transcript'); return t.scrollHeight - t.clientHeight - t.scrollTop; })()");
        assert.ok(gap <= 2, `${gap} px from the end`);
    });
    test("screenshots: an empty chat (welcome, recent chats), chips and @ completion in dark, light and high contrast", async () => {
        const dir = join(repoRoot, "test-results");
        mkdirSync(dir, { recursive: true });
        for (const theme of ["dark", "light", "hc"] as const) {
            const page = await Harness.open(browser, { theme, width: 420, height: 760 });
            try {
                await page.post({ type: "status", text: "Ready", model: "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M" });
                await page.post({
                    type: "history", currentId: "now", items: [
                        { id: "a", title: "Why does parsePrice not compile?", updatedAt: Date.now() - 20 * 60_000, turns: 3 },
                        { id: "b", title: "Explain applyDiscount", updatedAt: Date.now() - 26 * 3600_000, turns: 1 },
                        { id: "c", title: "Write tests for total()", updatedAt: Date.now() - 4 * 86_400_000, turns: 2 }
                    ]
                });
                await page.post({ type: "context", items: [
                    { id: "c1", kind: "file", label: "cart.ts", detail: "src/cart.ts" },
                    { id: "c2", kind: "selection", label: "cart.ts:8-10", detail: "src/cart.ts, lines 8–10" }
                ] });
                await page.page.locator("textarea.prompt").click();
                await page.page.keyboard.type("Compare with @ca");
                const q = ((await page.posted()) as WebviewToHost[]).filter((m) => m.type === "queryFiles").pop() as Extract<WebviewToHost, { type: "queryFiles" }>;
                await page.post({ type: "fileSuggestions", requestId: q.requestId, items: [
                    { path: "src/cart.ts", name: "cart.ts", folder: "src" },
                    { path: "test/cart.test.ts", name: "cart.test.ts", folder: "test" },
                    { path: "docs/shopping-cart.md", name: "shopping-cart.md", folder: "docs" }
                ] });
                await page.settle();
                await page.page.screenshot({ path: join(dir, `chat-shell-${theme}.png`) });
                assert.equal(await page.page.locator(".r1-recent-item").count(), 3);
                assert.deepEqual(page.errors, []);
            } finally {
                await page.close();
            }
        }
    });
});

// Hostile input in the REAL chat webview of a real VS Code (code-server + headless Chromium), not the test harness.
// The scripted model answers with every hostile vector of test/webview/hostileVectors.ts at once (script tags, event
// handlers, javascript:/command: links, frames, SVG, CSS, encodings…; each payload sets window.__pwned); the user's
// question is hostile too (it becomes the chat's title in the history quick pick), and a workspace file with a
// hostile name is attached through `@` completion (its chip and the completion list show the name). Then the page
// itself posts malformed messages to the host, through the same channel as acquireVsCodeApi().postMessage (the
// webview host frame's __vscode_post_message__): the host rejects them (the log says so), and a forged message of a
// valid shape still cannot attach a file outside the workspace. Counted: vectors tried, payloads executed (0), and
// vectors rendered: each vector sits between its own begin and end markers, and each marker must be in the reply once,
// not hidden, and a paragraph of its own (a vector that is lost, hides what follows it, is shown twice or runs into the
// next is named, with its number, category and text).
import * as assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { Frame, Page } from "playwright-core";
import { hostUnavailableReason } from "./hostPaths";
import { runCommand, saveScreenshot, waitForActivity, webviewFrame } from "./ui";
import { notBuilt, withWorkbench } from "./workbench";
import { hostileMessages } from "../fixtures/hostileMessages";
import { r1ReplyPieces } from "../fixtures/scriptPieces";
import { hostileVectors } from "../webview/hostileVectors";

const unavailable = hostUnavailableReason() ?? notBuilt;

const P = "window.__pwned=1";
const hostileFileName = `[run](command:workbench.action.terminal.new)<img src=x onerror=${P}>$(alert).ts`;
const hostileQuestion = `$(alert) <img src=x onerror=${P}> [x](command:workbench.action.terminal.new) what is this?`;

/**
 * The markers around vector `i`: plain letters, digits and hyphens, which no markdown rule, highlighter or
 * sanitizer step changes, so each survives as text whatever the vector next to it does (a vector that turns what
 * follows into raw-HTML text or code leaves the marker shown, but no longer a paragraph of its own).
 */
function vectorMarker(i: number, edge: "begin" | "end"): string {
    return `HOSTILE-VECTOR-${String(i).padStart(3, "0")}-${edge.toUpperCase()}`;
}

/**
 * `text` closed off, so that it cannot run into the vectors after it: an unclosed fence would turn the rest of the
 * answer into one code block, and an HTML block opened by <script, <pre, <style or <textarea (CommonMark's type 1)
 * runs to the first line that holds its closing tag, not to a blank line ("<script\n>…</script\n>" would take the
 * next 35 vectors in as raw-HTML text, and they would never be rendered as markdown).
 */
function closedOff(text: string): string {
    const fences = (text.match(/^(```|~~~)/gm) ?? []).length;
    if (fences % 2 === 1) return `${text}\n${text.includes("~~~") ? "~~~" : "```"}`;
    const rawBlock = /^ {0,3}<(script|pre|style|textarea)(?=[\s>]|$)/im.exec(text);
    if (rawBlock && !new RegExp(`</${rawBlock[1]}>`, "i").test(text.slice(rawBlock.index))) return `${text}\n</${rawBlock[1]}>`;
    return text;
}

/** A block of the answer that fits the hostile-named file ("export const x = 1;"): Apply opens a diff for it. */
const fittingBlock = "export const x = 2;";

/** Every vector between its own markers, each in a paragraph of its own. */
function vectorsAnswer(): string {
    const parts = hostileVectors.map((v, i) => `${vectorMarker(i, "begin")}\n\n${closedOff(v.text)}\n\n${vectorMarker(i, "end")}`);
    // Last, a block that fits the attached (hostile-named) file, so that Apply on it opens a diff titled with that name.
    return `\n\n${parts.join("\n\n")}\n\nEnd of the hostile vectors.\n\nFor the attached file:\n\n\`\`\`typescript\n${fittingBlock}\n\`\`\``;
}

interface MarkerAudit {
    /** Markers not in the reply's text at all. */
    missing: string[];
    /** Markers in the text more than once (content rendered twice). */
    repeated: string[];
    /** Markers in the text, but in an element hidden by CSS (display, visibility, opacity). */
    hidden: string[];
    /** Markers that are not a paragraph of their own: a vector took them into its own block. */
    merged: string[];
}

/**
 * Finds every marker in the reply's text nodes and checks that each is there exactly once, not hidden, and a
 * paragraph of its own (so that the vectors on either side of it were rendered as markdown each on its own).
 * Not innerText: long answers are rendered in chunks sealed with `content-visibility: auto`
 * (markdownStream.ts), whose text innerText leaves out while they are scrolled out of view, so a count
 * by innerText depends on the scroll position. checkVisibility() counts such a chunk as visible (it is
 * rendered when scrolled to) but not content hidden by display, visibility or opacity.
 */
function markerAuditScript(markers: string[]): string {
    return `(() => {
        const markers = ${JSON.stringify(markers)};
        const root = [...document.querySelectorAll(".r1-reply")].pop() ?? document.body;
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        const nodes = [];
        let text = "";
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            nodes.push({ start: text.length, node: n });
            text += n.data;
        }
        const nodeAt = (offset) => {
            let lo = 0, hi = nodes.length - 1;
            while (lo < hi) {
                const mid = (lo + hi + 1) >> 1;
                if (nodes[mid].start <= offset) lo = mid; else hi = mid - 1;
            }
            return nodes[lo].node;
        };
        const visibility = { checkOpacity: true, opacityProperty: true, checkVisibilityCSS: true, visibilityProperty: true, contentVisibilityAuto: false };
        const missing = [], repeated = [], hidden = [], merged = [];
        for (const marker of markers) {
            const at = text.indexOf(marker);
            if (at < 0) { missing.push(marker); continue; }
            if (text.indexOf(marker, at + 1) >= 0) repeated.push(marker);
            const element = nodeAt(at).parentElement;
            if (!element || !element.checkVisibility(visibility)) hidden.push(marker);
            if (element?.tagName !== "P" || element.textContent.trim() !== marker) merged.push(marker);
        }
        return { missing, repeated, hidden, merged };
    })()`;
}

/** The frames of the chat webview: the host frame (with __vscode_post_message__) and the page's own. */
async function chatFrames(page: Page): Promise<{ host: Frame; content: Frame }> {
    for (const frame of page.frames()) {
        const isContent = await frame.evaluate("document.querySelector('textarea.prompt') !== null").catch(() => false);
        if (isContent && frame.parentFrame()) return { host: frame.parentFrame()!, content: frame };
    }
    throw new Error("the chat webview's frame was not found");
}

/** Posts `message` to the host exactly as the page's acquireVsCodeApi().postMessage does. */
async function postFromPage(host: Frame, message: unknown): Promise<void> {
    // Parsed in the page, so that a "__proto__" key stays an own property as in the JSON.
    await host.evaluate(`window.__vscode_post_message__("onmessage", { message: JSON.parse(${JSON.stringify(JSON.stringify(message))}) })`);
}

const forbidden = "script:not([src*='webview.js']), iframe, frame, img, object, embed, form, input, textarea:not(.prompt), svg:not(.codicon), math, video, audio, base, meta, link:not([rel=stylesheet]), style, portal";

describe("UI: Hostile input in the real chat webview", { skip: unavailable }, () => {
    test("UI: Hostile: every hostile vector rendered in the real webview runs nothing; hostile titles and file names stay text; malformed messages from the page are rejected", { timeout: 300_000 }, async (t) => {
        const spec = { pieces: r1ReplyPieces({ thought: "Here are the vectors.", answer: vectorsAnswer() }), contextLength: 32768, name: "scripted hostile vectors" };
        let workspaceDir = "";
        await withWorkbench({
            name: "hostile", model: { file: "hostile.gguf", spec }, settings: { "r1.contextSize": 32768, "r1.maxTokens": 30000 },
            prepare: (workspace) => {
                workspaceDir = workspace;
                writeFileSync(join(workspace, "src", hostileFileName), "export const x = 1;\n");
            }
        }, async (page) => {
            const chat = webviewFrame(page);
            await waitForActivity(page, "R1 Reasoner", 60_000);
            await runCommand(page, "View: Show R1 Reasoner", 30_000);
            const prompt = chat.locator("textarea.prompt");
            await prompt.waitFor({ timeout: 60_000 });
            // The hostile file, attached through @ completion: the list and the chip show its name as text.
            await prompt.click();
            await prompt.pressSequentially("@command");
            const option = chat.locator("[role=listbox] [role=option]").filter({ hasText: "command:workbench" }).first();
            await option.waitFor({ timeout: 30_000 });
            await prompt.press("Enter");
            const chip = chat.locator(".composer .r1-chip").filter({ hasText: "onerror" });
            await chip.waitFor({ timeout: 30_000 });
            assert.equal((await chip.innerText()).includes(`<img src=x onerror=${P}>`), true, "the chip shows the name literally");
            await prompt.pressSequentially(hostileQuestion);
            await prompt.press("Enter");
            const reply = chat.locator(".r1-reply").last();
            await reply.locator(".r1-markdown").filter({ hasText: "End of the hostile vectors." }).waitFor({ timeout: 180_000 });
            // The whole answer is in: the block after the vectors is closed and the reply no longer streams.
            await chat.locator(".r1-reply:not(.r1-streaming) .r1-codeblock:not(.r1-streaming)").filter({ hasText: fittingBlock }).waitFor({ timeout: 60_000 });
            const { host, content } = await chatFrames(page);

            // Nothing ran, nothing forbidden reached the DOM, every link is inert.
            const audit = await content.evaluate(`(() => {
                const root = [...document.querySelectorAll(".r1-reply")].pop() ?? document.body;
                const bad = [...root.querySelectorAll(${JSON.stringify(forbidden)})].filter((e) => !e.closest(".r1-codeblock-header")).map((e) => e.outerHTML.slice(0, 80));
                const handlers = [...root.querySelectorAll("*")].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name) || (a.name === "href" && !/^#/.test(a.value))).map((a) => e.tagName + " " + a.name));
                return { pwned: window.__pwned, bad, handlers };
            })()`) as { pwned?: number; bad: string[]; handlers: string[] };
            // Every vector rendered: both of its markers shown, once each.
            const markers = hostileVectors.flatMap((_, i) => [vectorMarker(i, "begin"), vectorMarker(i, "end")]);
            const shown = await content.evaluate(markerAuditScript(markers)) as MarkerAudit;
            const lost = new Set([...shown.missing, ...shown.repeated, ...shown.hidden, ...shown.merged].map((m) => Number(/\d+/.exec(m)![0])));
            const rendered = hostileVectors.length - lost.size;
            t.diagnostic(`${hostileVectors.length} hostile vectors tried in the real webview; ${rendered} rendered (both markers shown, once each, as paragraphs of their own); executed: ${audit.pwned ? 1 : 0}`);
            assert.equal(audit.pwned, undefined, "no payload ran in the webview");
            const describeLost = (list: string[]) => list.map((m) => { const i = Number(/\d+/.exec(m)![0]); return `${m} [${hostileVectors[i].category}] ${JSON.stringify(hostileVectors[i].text)}`; });
            assert.deepEqual(describeLost(shown.missing), [], "every vector's markers are in the reply");
            assert.deepEqual(describeLost(shown.repeated), [], "no vector's marker is shown twice");
            assert.deepEqual(describeLost(shown.hidden), [], "no vector's marker is hidden");
            assert.deepEqual(describeLost(shown.merged), [], "every vector's markers are paragraphs of their own (no vector ran into the next)");
            assert.equal(rendered, hostileVectors.length, "every vector was rendered");
            assert.deepEqual(audit.bad, [], "no forbidden element");
            assert.deepEqual(audit.handlers, [], "no event handler or href attribute");
            assert.equal(await page.evaluate("window.__pwned"), undefined, "nothing ran in the workbench");
            const shot = await saveScreenshot(page, "hostile-webview");

            // The history quick pick shows the hostile question as its title: text, no element, no icon.
            await runCommand(page, "R1: Show Chat History", 30_000);
            const row = page.locator(".quick-input-widget .monaco-list-row").filter({ hasText: "onerror" }).first();
            await row.waitFor({ timeout: 15_000 });
            assert.equal(await row.locator("img, .codicon-alert").count(), 0, "no image and no icon from the title");
            assert.match(await row.innerText(), /\$\(alert\) <img src=x onerror=window\.__pwned=1>/);
            await page.keyboard.press("Escape");

            // Apply on a block of the answer, against the attached file with the hostile name: either a diff titled
            // with that name or a notification that names it (a block of another language is refused) shows it as
            // text (no image, no icon, no link); nothing runs, and the file is unchanged without the user's Apply.
            const firstBlock = chat.locator(".r1-reply").last().locator(".r1-codeblock").first();
            await firstBlock.scrollIntoViewIfNeeded();
            await firstBlock.locator('button[data-r1-action="apply"]').click();
            const diffTab = page.locator(".tabs-container .tab").filter({ hasText: "R1's change from the chat" }).first();
            const toast = page.locator(".notifications-toasts .notification-toast").filter({ hasText: "onerror" }).first();
            await diffTab.or(toast).waitFor({ timeout: 30_000 });
            // The toast's own buttons are links; only its message is checked.
            const applied = (await diffTab.count()) > 0 ? diffTab : toast.locator(".notification-list-item-message");
            const shownText = await applied.innerText();
            // Notifications break a would-be link with a word joiner after "]" (core/answer/untrustedText).
            assert.ok(shownText.replace(/\u2060/g, "").includes(hostileFileName), `the file name is shown as text: ${shownText}`);
            assert.equal(await applied.locator("img, .codicon-alert, a").count(), 0, "no image, icon or link from the file name");
            assert.equal(await page.evaluate("window.__pwned"), undefined, "nothing ran in the workbench");
            const applyShot = await saveScreenshot(page, "hostile-apply");
            if (applied === diffTab) {
                await page.locator(".editor-actions .action-label[aria-label^=\"Discard\"]").first().click();
                await diffTab.waitFor({ state: "detached", timeout: 15_000 });
            }
            assert.equal(readFileSync(join(workspaceDir, "src", hostileFileName), "utf8"), "export const x = 1;\n", "the file is unchanged");
            t.diagnostic(`Apply on the first block: ${applied === diffTab ? "a diff" : "a notification"}: ${JSON.stringify(shownText.slice(0, 160))}`);

            // Apply on the block that fits the file: the diff's tab title and the review notice name the file as
            // text (no image, no icon, no link); Discard leaves the file unchanged.
            const fitting = chat.locator(".r1-reply").last().locator(".r1-codeblock").filter({ hasText: fittingBlock }).last();
            await fitting.scrollIntoViewIfNeeded();
            await fitting.locator('button[data-r1-action="apply"]').click();
            await diffTab.waitFor({ timeout: 30_000 });
            const tabTitle = await diffTab.innerText();
            assert.ok(tabTitle.includes(hostileFileName), `the diff's title shows the file name as text: ${tabTitle}`);
            // The workbench's own tab markup is an <a class="label-name"> (no href) and a close button: the title
            // must be that element's text alone, with nothing inside it and no image, icon or link in the tab.
            const labelName = diffTab.locator(".label-name");
            assert.ok((await labelName.innerText()).includes(hostileFileName), "the tab's label holds the file name");
            assert.equal(await labelName.locator("*").count(), 0, "the diff's title is text only: no element inside it");
            assert.equal(await diffTab.locator("img, .codicon-alert, a[href]").count(), 0, "no image, icon or link in the diff's tab");
            const reviewNotice = page.locator(".notifications-toasts .notification-toast").filter({ hasText: "is ready: review the diff" }).first();
            await reviewNotice.waitFor({ timeout: 15_000 });
            const noticeMessage = reviewNotice.locator(".notification-list-item-message");
            assert.ok((await noticeMessage.innerText()).replace(/\u2060/g, "").includes(hostileFileName), "the review notice names the file as text");
            assert.equal(await noticeMessage.locator("img, .codicon-alert, a").count(), 0, "no image, icon or link in the review notice");
            assert.equal(await page.evaluate("window.__pwned"), undefined, "nothing ran in the workbench");
            const diffShot = await saveScreenshot(page, "hostile-diff-title");
            await page.locator(".editor-actions .action-label[aria-label^=\"Discard\"]").first().click();
            await diffTab.waitFor({ state: "detached", timeout: 15_000 });
            assert.equal(readFileSync(join(workspaceDir, "src", hostileFileName), "utf8"), "export const x = 1;\n", "Discard leaves the file unchanged");
            t.diagnostic(`Apply on the fitting block: a diff titled ${JSON.stringify(tabTitle)}; screenshot ${diffShot}`);

            // Malformed messages posted by the page itself (the channel acquireVsCodeApi().postMessage uses).
            const requestsBefore = await chat.locator(".r1-request-text").count();
            for (const { message } of hostileMessages) {
                await postFromPage(host, message);
            }
            // Valid in shape, but outside the workspace: refused by the host.
            for (const path of ["../../../../etc/passwd", "/etc/passwd", "src/../../outside.ts"]) {
                await postFromPage(host, { type: "addFile", path });
            }
            // A valid message after them is still served: the host kept working.
            await postFromPage(host, { type: "send", text: "after the forged messages" });
            await chat.locator(".r1-request-text").filter({ hasText: "after the forged messages" }).waitFor({ timeout: 60_000 });
            assert.equal(await chat.locator(".r1-request-text").count(), requestsBefore + 1, "no forged send of a malformed shape was acted on");
            assert.equal(await chat.locator(".r1-chip").filter({ hasText: /passwd|outside/ }).count(), 0, "no file outside the workspace was attached");
            await runCommand(page, "R1: Show Logs", 30_000);
            await page.locator(".part.panel .view-lines").filter({ hasText: "rejected a message from the webview" }).first().waitFor({ timeout: 30_000 });
            t.diagnostic(`${hostileMessages.length} malformed messages posted by the page, 3 outside-workspace paths; screenshots ${shot}, ${applyShot}`);
        });
    });
});

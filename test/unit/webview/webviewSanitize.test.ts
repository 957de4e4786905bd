// Hostile model output against the real webview bundle in headless Chromium. Each vector is streamed as
// an answer (rendered after every chunk), rendered whole as a restored turn, and shown as thought text, as
// the user's request and inside a notice. Nothing may run (window.__pwned stays unset, the page's alert/
// confirm/prompt/print/open are traps), nothing may be fetched (every request leaving the harness is
// recorded), no forbidden element or attribute may reach the DOM, the page never navigates, and clicking
// everything that was rendered only ever asks the host to open http(s) URLs.
//
// The main run has no Content-Security-Policy, so the sanitizer alone has to hold; a second run repeats
// the answers under a VS Code-like CSP.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { Harness, harnessUnavailable, launchBrowser } from "../../webview/harness";
import { hostileVectors } from "../../webview/hostileVectors";
import { msg, stats } from "../../webview/messages";
import { randomChunks, seededRandom } from "../../webview/tokenize";

const unavailable = harnessUnavailable();
if (unavailable) console.log(`# skipping webview sanitization tests: ${unavailable}`);

describe("webview sanitization in headless Chromium", { skip: unavailable }, () => {
    let browser: Browser;
    let h: Harness;
    const dialogs: string[] = [];
    const navigations: string[] = [];

    before(async () => {
        browser = await launchBrowser();
        h = await Harness.open(browser, { csp: false });
        h.page.on("dialog", (d) => {
            dialogs.push(d.message());
            void d.dismiss();
        });
        h.page.on("framenavigated", (f) => navigations.push(f.url()));
    });
    after(async () => {
        await browser?.close();
    });

    test("there are at least 100 hostile vectors in every category", () => {
        assert.ok(hostileVectors.length >= 100, `${hostileVectors.length} vectors`);
        const categories = new Set(hostileVectors.map((v) => v.category));
        assert.ok(categories.size >= 12, [...categories].join(", "));
    });

    test("no hostile vector survives streaming, one-pass rendering, or display as thought, request or notice", async () => {
        const random = seededRandom(4242);
        for (const [i, vector] of hostileVectors.entries()) {
            const label = `#${i} [${vector.category}] ${JSON.stringify(vector.text)}`;
            const streamed = `stream-${i}`;
            await h.streamAnswer(streamed, randomChunks(`Answer:\n\n${vector.text}\n\nEnd.`, random, 9), 1, 0);
            await h.post(msg.restore(`whole-${i}`, {
                prompt: vector.text, model: vector.text, reasoning: vector.text, answer: vector.text, stopReason: "loop", stats: stats(5, 5),
                notices: [{ kind: "loopStopped", repeated: vector.text }, { kind: "info", message: vector.text }, { kind: "languageSwitch", from: vector.text, to: vector.text }]
            }));
            await h.post(msg.start(`thought-${i}`, { prompt: vector.text, thoughtBudget: 100, model: vector.text }));
            await h.post(msg.progress(`thought-${i}`, { thought: vector.text, thoughtState: "thinking", stats: stats(3) }));
            await h.post(msg.fail(`thought-${i}`, vector.text));
            await h.settle(2);
            for (const turn of [streamed, `whole-${i}`, `thought-${i}`]) {
                assert.deepEqual(await h.audit(`.r1-reply[data-turn-id="${turn}"]`), [], `${label} (${turn})`);
            }
            assert.equal(await h.pwned(), undefined, label);
            assert.deepEqual(h.strayRequests, [], label);
            // The thought and the request show the text itself, literally.
            assert.equal(await h.value(`document.querySelector('.r1-reply[data-turn-id="thought-${i}"] .r1-thought-text').textContent`), vector.text.replace(/^\s+/, "").replace(/\n+/g, ""), label);
            if (i % 25 === 24) {
                assert.deepEqual(await h.audit(), []);
                await h.post(msg.clear());
            }
        }
        // Late effects: image errors, frame loads, timers, meta refreshes.
        await new Promise((resolve) => setTimeout(resolve, 800));
        await h.settle();
        assert.equal(await h.pwned(), undefined);
        assert.deepEqual(h.strayRequests, []);
        assert.deepEqual(dialogs, []);
        assert.equal(h.page.frames().length, 1, "no frame was created");
        assert.deepEqual(navigations, [], "the page never navigated");
        assert.deepEqual(h.errors, []);
    });

    test("clicking and pressing Enter on everything rendered only asks to open http(s) URLs", async () => {
        await h.post(msg.clear());
        const before = (await h.posted()).length;
        for (const [i, vector] of hostileVectors.entries()) {
            await h.post(msg.restore(`click-${i}`, { answer: vector.text }));
        }
        await h.settle();
        // Every element of the rendered markdown gets synthetic clicks and Enter; links and blocked links
        // also get real mouse clicks (left and middle).
        const count = await h.activateAll(".r1-markdown *:not(.r1-codeblock-header, .r1-codeblock-header *)");
        assert.ok(count > 200, `${count} elements activated`);
        const links = h.page.locator(".r1-markdown :is(a, .r1-link-blocked, .r1-image)");
        const linkCount = await links.count();
        assert.ok(linkCount > 50, `${linkCount} links`);
        for (let i = 0; i < linkCount; i++) {
            await links.nth(i).click({ force: true, timeout: 2000 });
            await links.nth(i).click({ force: true, timeout: 2000, button: "middle" });
        }
        const sent = (await h.posted()).slice(before) as { type: string; url?: string }[];
        assert.ok(sent.length > 0, "safe links in the vectors do reach the host");
        for (const message of sent) {
            assert.equal(message.type, "openLink");
            assert.match(message.url ?? "", /^https?:\/\/[^\s"<>]+$/);
            assert.doesNotMatch(message.url ?? "", /evil\.test\/?"|javascript:|command:|vscode:|data:|file:/i);
        }
        assert.equal(await h.pwned(), undefined);
        assert.deepEqual(dialogs, []);
        assert.deepEqual(navigations, []);
        assert.deepEqual(h.strayRequests, []);
    });

    test("dangerous links become plain text, safe ones stay links, raw HTML is shown as text", async () => {
        await h.post(msg.clear());
        const answer = [
            "[js](javascript:alert(1)) [cmd](command:workbench.action.reloadWindow) [vs](vscode:extension/x) [data](data:text/html,x) [file](file:///etc/passwd)",
            "",
            "[ok](https://ok.test/a?b=1) <https://ok.test/auto> www.ok.test",
            "",
            "Raw: <b onclick=\"x()\">bold?</b>",
            "",
            "![logo](https://evil.test/logo.png)"
        ].join("\n");
        await h.post(msg.restore("policy", { answer }));
        await h.settle();
        const md = h.page.locator(".r1-reply[data-turn-id=policy] .r1-markdown");
        assert.deepEqual(await md.locator(".r1-link-blocked").allTextContents(), ["js", "cmd", "vs", "data", "file"]);
        assert.deepEqual(await md.locator("a").evaluateAll((links) => links.map((a) => (a as unknown as { dataset: { r1Href: string } }).dataset.r1Href)),
            ["https://ok.test/a?b=1", "https://ok.test/auto", "http://www.ok.test/"]);
        assert.match(await md.locator("p").nth(2).textContent() ?? "", /^Raw: <b onclick="x\(\)">bold\?<\/b>$/);
        assert.equal(await md.locator(".r1-image").textContent(), "logo");
        assert.equal(await md.locator(".r1-image").getAttribute("title"), "Image not shown: https://evil.test/logo.png");
        assert.deepEqual(h.strayRequests, [], "the image was not fetched");
    });

    test("the same vectors under a VS Code-like CSP: nothing runs, nothing loads, no CSP violation from our own code", async () => {
        const strict = await Harness.open(browser, { csp: true });
        try {
            for (const [i, vector] of hostileVectors.entries()) {
                await strict.post(msg.restore(`csp-${i}`, { prompt: vector.text, reasoning: vector.text, answer: vector.text }));
            }
            await strict.settle();
            assert.deepEqual(await strict.audit(), []);
            assert.equal(await strict.pwned(), undefined);
            assert.deepEqual(strict.strayRequests, []);
            // A violation would mean the webview itself needs 'unsafe-inline' or other relaxations.
            assert.deepEqual(strict.errors.filter((e) => /Content Security Policy/i.test(e)), []);
        } finally {
            await strict.close();
        }
    });
});

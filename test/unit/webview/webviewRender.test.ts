// The webview's reply rendering, run from the real bundle (media/dist/webview.js) in headless Chromium:
// incremental markdown equals a one-pass render, completed blocks are never rebuilt, code block buttons
// hand the exact code to the host, links never navigate, the thinking block streams, meters, collapses,
// reopens from mouse and keyboard and follows the end unless the user scrolls away; notices show.
// Screenshots of the harness go to test-results/.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { demoAnswer, demoRequest, demoThought } from "../../webview/demoReply";
import { Harness, harnessUnavailable, launchBrowser, repoRoot } from "../../webview/harness";
import { markdownCorpus } from "../../webview/markdownCorpus";
import { msg, stats, turnMessages } from "../../webview/messages";
import { randomMarkdown } from "../../webview/randomMarkdown";
import { pseudoTokens, randomChunks, seededRandom } from "../../webview/tokenize";

const unavailable = harnessUnavailable();
if (unavailable) console.log(`# skipping webview rendering tests: ${unavailable}`);

function lines(text: string): string[] {
    return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

describe("webview rendering in headless Chromium", { skip: unavailable }, () => {
    let browser: Browser;
    let h: Harness;

    before(async () => {
        browser = await launchBrowser();
        h = await Harness.open(browser);
    });
    after(async () => {
        await browser?.close();
    });

    test("pseudo-tokens and chunkings cover the text exactly", () => {
        for (const { text } of markdownCorpus) {
            assert.equal(pseudoTokens(text).join(""), text);
            assert.equal(randomChunks(text, seededRandom(1), 9).join(""), text);
            assert.equal(lines(text).join(""), text);
        }
    });

    test("incremental rendering equals a one-pass render (corpus × 5 chunkings, checked after every render for one)", async () => {
        let checked = 0;
        for (const [i, { name, text }] of markdownCorpus.entries()) {
            const chunkings: Record<string, string[]> = {
                chars: [...text],
                "random 1-7": randomChunks(text, seededRandom(i + 1), 7),
                "random 1-60": randomChunks(text, seededRandom(i + 101), 60),
                tokens: pseudoTokens(text),
                lines: lines(text)
            };
            for (const [how, chunks] of Object.entries(chunkings)) {
                // With "random 1-7", compare with a full render of the text so far after every render.
                const compareEvery = how === "random 1-7" ? 1 : 0;
                const result = await h.streamAnswer(`eq-${i}-${how}`, chunks, 1, compareEvery);
                const m = result.mismatches[0];
                assert.equal(m, undefined, m && `${name} (${how}), after chunk ${m.chunk} of ${chunks.length}:\nTEXT ${JSON.stringify(m.prefix)}\nGOT  ${m.got}\nWANT ${m.want}`);
                if (/\S/.test(text) && name !== "html block") assert.notEqual(result.final.trim(), "", `${name}: rendered nothing`);
                checked++;
            }
            await h.post(msg.clear());
        }
        assert.equal(checked, markdownCorpus.length * 5);
    });

    test("incremental rendering equals a one-pass render on 40 random documents", async () => {
        for (let seed = 1; seed <= 40; seed++) {
            const random = seededRandom(seed * 7919);
            const text = randomMarkdown(random, 4 + Math.floor(random() * 14));
            const chunks = seed % 2 === 0 ? pseudoTokens(text) : randomChunks(text, random, 12);
            const result = await h.streamAnswer(`rand-${seed}`, chunks, 1 + (seed % 3), 1);
            const m = result.mismatches[0];
            assert.equal(m, undefined, m && `seed ${seed}, after chunk ${m.chunk}:\nTEXT ${JSON.stringify(m.prefix)}\nGOT  ${m.got}\nWANT ${m.want}`);
            if (seed % 10 === 0) await h.post(msg.clear());
        }
        await h.post(msg.clear());
    });

    test("the answer's blocks render to the expected elements", async () => {
        const html = await h.renderFull(demoAnswer);
        for (const fragment of ["<h3>", "<ol>", "<table>", "<blockquote>", 'class="r1-codeblock"', "hljs-keyword", "data-r1-href=\"https://lodash.com/docs/#debounce\""]) {
            assert.ok(html.includes(fragment), `missing ${fragment} in ${html}`);
        }
    });

    test("completed blocks are rendered once and never rebuilt while the stream continues", async () => {
        await h.setManual(true);
        try {
            let text = "First paragraph.\n\n```js\nlet a = 1;\n```\n\nSecond\n";
            await h.post(msg.start("stable"));
            await h.post(msg.progress("stable", { answer: text, thoughtState: "none" }));
            await h.runFrame();
            // Mark the DOM nodes of the completed blocks, then keep streaming.
            const blocks = "[...document.querySelectorAll('.r1-reply[data-turn-id=stable] :is(.r1-markdown, .r1-mdchunk) > *:not(.r1-mdchunk)')]";
            await h.value(`(() => { const b = ${blocks}; b[0].__mark = 'p'; b[1].__mark = 'code'; b[2].__mark = 'tail'; })()`);
            for (const piece of ["paragraph", " grows.\n\n- a list", "\n- more", "\n\nEnd.\n"]) {
                text += piece;
                await h.post(msg.progress("stable", { answer: piece, thoughtState: "none" }));
                await h.runFrame();
            }
            await h.post(msg.finish("stable", { reasoning: "", answer: text }));
            await h.runFrame();
            const marks = await h.value<unknown[]>(`${blocks}.map((c) => c.__mark ?? null)`);
            assert.deepEqual(marks.slice(0, 2), ["p", "code"], "completed blocks were rebuilt");
            assert.equal(marks[2], null, "the open tail block is expected to be re-rendered");
            assert.equal(marks.length, 5);
        } finally {
            await h.setManual(false);
        }
    });

    test("code block buttons send the exact code of the block, and wait for the block to be complete", async () => {
        const code = "if (a < b && c > d) {\n\treturn \"<tag>\" + '&amp;';   \n}\n\n// trailing blank line above";
        const md = `Intro\n\n\`\`\`typescript\n${code}\n\`\`\`\n\nThen:\n\n~~~\nsecond block\n~~~\n`;
        const cut = md.indexOf("// trailing");
        await h.postAll(turnMessages("code", { answer: [md.slice(0, cut)] }, false));
        await h.settle();
        const block = (i: number, action: string) => h.page.locator(`.r1-reply[data-turn-id=code] .r1-codeblock[data-r1-code="${i}"] button[data-r1-action="${action}"]`);
        assert.equal(await block(0, "apply").isDisabled(), true, "Apply must wait for the closing fence");
        assert.equal(await block(0, "insert").isDisabled(), true);
        assert.equal(await block(0, "copy").isDisabled(), false);
        await h.post(msg.progress("code", { answer: md.slice(cut), thoughtState: "none" }));
        await h.post(msg.finish("code", { reasoning: "", answer: md }));
        await h.settle();
        const before = (await h.posted()).length;
        await block(0, "copy").click();
        await block(0, "insert").click();
        await block(0, "apply").click();
        await block(1, "apply").click();
        const sent = (await h.posted()).slice(before);
        assert.deepEqual(sent, [
            { type: "codeAction", id: "code", action: "copy", blockIndex: 0, lang: "typescript", code },
            { type: "codeAction", id: "code", action: "insert", blockIndex: 0, lang: "typescript", code },
            { type: "codeAction", id: "code", action: "apply", blockIndex: 0, lang: "typescript", code },
            { type: "codeAction", id: "code", action: "apply", blockIndex: 1, lang: "", code: "second block" }
        ]);
        assert.equal(await h.page.locator(".r1-reply[data-turn-id=code] .r1-codeblock-lang").first().textContent(), "typescript");
        // Copy acknowledges with a check mark.
        assert.equal(await block(0, "copy").locator(".codicon-check").count(), 1);
    });

    test("a block the host marks as a new file offers Create file (its path shown) and still sends apply; a reload keeps it", async () => {
        const code = "export const price = 1;";
        const md = `Create \`src/utils/price.ts\`:\n\n\`\`\`ts\n${code}\n\`\`\`\n\nAnd:\n\n\`\`\`ts\nexport const other = 2;\n\`\`\`\n`;
        await h.postAll(turnMessages("nf", { answer: [md] }, true));
        await h.post({ type: "newFiles", id: "nf", files: [{ code, path: "src/utils/price.ts" }] });
        await h.settle();
        const apply = (i: number) => h.page.locator(`.r1-reply[data-turn-id=nf] .r1-codeblock[data-r1-code="${i}"] button[data-r1-action="apply"]`);
        assert.equal(await apply(0).getAttribute("aria-label"), "Create file src/utils/price.ts");
        assert.equal(await apply(0).locator(".codicon-new-file").count(), 1);
        assert.equal(await h.page.locator(".r1-reply[data-turn-id=nf] .r1-codeblock-file").first().textContent(), "new file src/utils/price.ts");
        assert.equal(await apply(1).getAttribute("aria-label"), "Apply in Editor", "the other block is unchanged");
        mkdirSync(join(repoRoot, "test-results"), { recursive: true });
        await h.page.locator(".r1-reply[data-turn-id=nf] .r1-codeblock").first().screenshot({ path: join(repoRoot, "test-results", "webview-create-file.png") });
        const before = (await h.posted()).length;
        await apply(0).click();
        assert.deepEqual((await h.posted()).slice(before), [{ type: "codeAction", id: "nf", action: "apply", blockIndex: 0, lang: "ts", code }]);
        // Drawn again (a restored turn): the mark comes with the next newFiles, and applies to the new elements.
        await h.post(msg.clear());
        await h.post(msg.restore("nf", { answer: md }));
        await h.post({ type: "newFiles", id: "nf", files: [{ code, path: "src/utils/price.ts" }] });
        await h.settle();
        assert.equal(await apply(0).getAttribute("aria-label"), "Create file src/utils/price.ts");
    });

    test("links never navigate: a click or Enter asks the host to open the (http/https) URL", async () => {
        await h.postAll(turnMessages("links", { answer: ["Read [the guide](https://example.com/guide?a=1&b=2 \"Guide\") or <https://example.org>.\n\nBad: [x](javascript:alert(1)) and [y](command:workbench.action.reloadWindow).\n"] }));
        await h.settle();
        const url = h.page.url();
        const before = (await h.posted()).length;
        const link = h.page.locator(".r1-reply[data-turn-id=links] a[data-r1-href]").first();
        assert.equal(await link.getAttribute("href"), null, "links carry no href");
        await link.click();
        await link.focus();
        await h.page.keyboard.press("Enter");
        await h.page.locator(".r1-reply[data-turn-id=links] a[data-r1-href]").nth(1).click({ button: "middle" });
        await h.page.locator(".r1-reply[data-turn-id=links] .r1-link-blocked").first().click();
        const sent = (await h.posted()).slice(before);
        assert.deepEqual(sent, [
            { type: "openLink", url: "https://example.com/guide?a=1&b=2" },
            { type: "openLink", url: "https://example.com/guide?a=1&b=2" }
        ]);
        assert.equal(h.page.url(), url);
        assert.equal(await h.page.locator(".r1-reply[data-turn-id=links] a[data-r1-href]").count(), 2);
        assert.equal(await h.page.locator(".r1-reply[data-turn-id=links] .r1-link-blocked").count(), 2);
    });

    test("the thinking block streams plain text in paragraphs with a live meter, then collapses when the answer starts", async () => {
        const thought = "\nFirst <b>paragraph</b> of thought.\nSecond line of it.\n\nSecond paragraph.";
        await h.post(msg.start("think", { prompt: "Why?", thoughtBudget: 1000, model: "Test model" }));
        for (const chunk of pseudoTokens(thought)) {
            await h.post(msg.progress("think", { thought: chunk, thoughtState: "thinking", stats: stats(250, 0, { tokensPerSecond: 42 }) }));
        }
        await h.settle();
        const section = h.page.locator(".r1-reply[data-turn-id=think] .r1-thought");
        const header = section.locator(".r1-thought-header");
        assert.equal(await header.getAttribute("aria-expanded"), "true");
        assert.equal(await section.locator(".r1-thought-title").textContent(), "Thinking");
        assert.equal(await section.locator(".r1-meter-tokens").textContent(), "250 tokens");
        assert.equal(await section.locator(".r1-meter-speed").textContent(), "42 tok/s");
        assert.equal(await section.locator(".r1-meter-budget").textContent(), "25% of budget");
        assert.equal(await section.locator(".r1-budget-bar").evaluate((e) => (e as unknown as { value: number }).value), 25);
        assert.deepEqual(await section.locator(".r1-tp").allInnerTexts(), ["First <b>paragraph</b> of thought.\nSecond line of it.", "Second paragraph."]);
        assert.equal(await section.locator(".r1-thought-text b").count(), 0, "thought text is never markup");

        await h.post(msg.progress("think", { answer: "The answer.", thoughtState: "ended", stats: stats(812, 3, { thoughtMs: 14_200 }) }));
        await h.settle();
        assert.equal(await header.getAttribute("aria-expanded"), "false");
        assert.equal(await section.locator(".r1-thought-title").textContent(), "Thought for 14 s · 812 tokens");
        assert.equal(await section.locator(".r1-thought-body").isVisible(), false);

        await header.click();
        assert.equal(await header.getAttribute("aria-expanded"), "true");
        assert.equal(await section.locator(".r1-thought-body").isVisible(), true);
        await header.focus();
        await h.page.keyboard.press("Enter");
        assert.equal(await header.getAttribute("aria-expanded"), "false");
        await h.page.keyboard.press("Space");
        assert.equal(await header.getAttribute("aria-expanded"), "true");
        assert.equal(await header.getAttribute("aria-controls"), await section.locator(".r1-thought-body").getAttribute("id"));
    });

    test("the thought follows new text until the user scrolls up, and again once they scroll back down", async () => {
        const paragraph = (n: number) => `Paragraph ${n}: ${"the model weighs one more possibility and checks it. ".repeat(3)}\n\n`;
        await h.post(msg.start("scroll"));
        const send = async (from: number, to: number) => {
            for (let i = from; i < to; i++) await h.post(msg.progress("scroll", { thought: paragraph(i), thoughtState: "thinking", stats: stats(i * 40) }));
            await h.settle();
        };
        const body = h.page.locator(".r1-reply[data-turn-id=scroll] .r1-thought-body");
        const position = () => body.evaluate((e) => {
            const el = e as unknown as { scrollTop: number; scrollHeight: number; clientHeight: number };
            return { top: el.scrollTop, gap: el.scrollHeight - el.clientHeight - el.scrollTop };
        });
        await send(0, 20);
        await body.scrollIntoViewIfNeeded();
        assert.ok((await position()).gap <= 2, "pinned to the end while streaming");
        await body.hover();
        await h.page.mouse.wheel(0, -400);
        await h.settle();
        const up = await position();
        assert.ok(up.gap > 100, `scrolled up by the user (gap ${up.gap})`);
        await send(20, 30);
        const after = await position();
        assert.ok(Math.abs(after.top - up.top) <= 2, `stays where the user left it (${up.top} → ${after.top})`);
        await h.page.mouse.wheel(0, 100_000);
        await h.settle();
        await send(30, 40);
        assert.ok((await position()).gap <= 2, "follows again after scrolling back to the end");
    });

    test("notices: budget, loop, language switch, missing <think>, no template, stopped by user, errors", async () => {
        await h.post(msg.start("notices", { thoughtBudget: 512 }));
        await h.post(msg.progress("notices", { thought: "Thinking hard.", thoughtState: "thinking", stats: stats(512) }));
        await h.post(msg.progress("notices", {
            thoughtState: "budget", stats: stats(512),
            notices: [{ kind: "budgetHit", budget: 512 }, { kind: "languageSwitch", from: "Chinese", to: "English" }, { kind: "budgetHit", budget: 512 }]
        }));
        await h.post(msg.finish("notices", {
            reasoning: "Thinking hard.", answer: "", stopReason: "abort", thoughtState: "budget", stats: stats(512),
            notices: [{ kind: "loopStopped", repeated: "<img src=x onerror=alert(1)> again and again" }]
        }));
        await h.settle();
        const texts = await h.page.locator(".r1-reply[data-turn-id=notices] .r1-notice").allTextContents();
        assert.deepEqual(texts, [
            "Thinking budget of 512 tokens reached: the model was asked to answer.",
            "The model switched language while thinking (Chinese → English).",
            "Stopped a repetition loop (“<img src=x onerror=alert(1)> again and again”).",
            "Stopped by you."
        ]);
        assert.match(await h.page.locator(".r1-reply[data-turn-id=notices] .r1-thought-title").textContent() ?? "", /^Thought for \d+\.\d s · 512 tokens$/);

        await h.post(msg.start("tpl"));
        await h.post(msg.progress("tpl", { answer: "Plain answer.", thoughtState: "noTemplate", stats: stats(0, 2) }));
        await h.post(msg.fail("tpl", "The model process exited (code 134)."));
        // A model that writes its reasoning without <think>: the engine first streams it as answer, then
        // retracts it when </think> arrives and repeats it as thought.
        await h.post(msg.start("tag"));
        await h.post(msg.progress("tag", { answer: "Let me reason about this first", thoughtState: "none", stats: stats(0, 6) }));
        await h.post(msg.progress("tag", { answerRetracted: true, thought: "Let me reason about this first, and then", thoughtState: "thinking", stats: stats(8, 0) }));
        await h.post(msg.progress("tag", { thought: " conclude.", answer: "The answer.", thoughtState: "ended", stats: stats(10, 2) }));
        await h.post(msg.finish("tag", { reasoning: "Let me reason about this first, and then conclude.", answer: "The answer.", stopReason: "maxTokens", stats: stats(10, 2) }));
        await h.settle();
        assert.equal(await h.page.locator(".r1-reply[data-turn-id=tpl] .r1-thought").isVisible(), false, "no thinking block without a template");
        assert.deepEqual(await h.page.locator(".r1-reply[data-turn-id=tpl] .r1-notice").allTextContents(), [
            "This model has no DeepSeek-R1 chat template, so its reasoning cannot be shown apart from the answer.",
            "The model process exited (code 134)."
        ]);
        assert.equal(await h.page.locator(".r1-reply[data-turn-id=tpl] .r1-notice-error").getAttribute("role"), "alert");
        assert.deepEqual(await h.page.locator(".r1-reply[data-turn-id=tag] .r1-notice").allTextContents(), [
            "The model was still reasoning (it wrote </think> later, without an opening <think>): that text moved into its thinking.",
            "Stopped at the response length limit."
        ]);
        assert.equal(await h.page.locator(".r1-reply[data-turn-id=tag] .r1-markdown").innerText(), "The answer.", "the retracted text left the answer");
        assert.equal(await h.page.locator(".r1-reply[data-turn-id=tag] .r1-thought-text").innerText(), "Let me reason about this first, and then conclude.");
        assert.equal(await h.page.locator(".r1-reply[data-turn-id=tag] .r1-thought-header").getAttribute("aria-expanded"), "false");
    });

    test("a restored turn renders whole and matches the streamed one", async () => {
        await h.post(msg.clear());
        await h.postAll(turnMessages("live", { thought: pseudoTokens(demoThought), answer: pseudoTokens(demoAnswer) }), false);
        await h.post(msg.restore("restored", { prompt: demoRequest, thoughtBudget: 4096, reasoning: demoThought, answer: demoAnswer, stats: stats(812, 300) }));
        await h.settle();
        assert.equal(await h.answerHtml("restored"), await h.answerHtml("live"));
        assert.equal(await h.page.locator(".r1-reply[data-turn-id=restored] .r1-thought-header").getAttribute("aria-expanded"), "false");
        assert.deepEqual(await h.audit(), []);
        assert.deepEqual(h.errors, []);
    });

    test("the final result is authoritative: a lost batch is repaired when the turn finishes", async () => {
        await h.postAll(turnMessages("lossy", { thought: ["First thought. ", "Second thought."], answer: ["Intro.\n\n", "```py\nprint(1)\n```\n"] }, false));
        // The batch with "Middle." never arrived; the finished result has the whole texts.
        const answer = "Intro.\n\nMiddle.\n\n```py\nprint(1)\n```\n";
        await h.post(msg.finish("lossy", { reasoning: "First thought. Second thought. Third.", answer }));
        await h.settle();
        assert.equal(await h.answerHtml("lossy"), await h.renderFull(answer));
        assert.equal(await h.page.locator(".r1-reply[data-turn-id=lossy] .r1-thought-text").innerText(), "First thought. Second thought. Third.");
        const before = (await h.posted()).length;
        await h.page.locator('.r1-reply[data-turn-id=lossy] button[data-r1-action="apply"]').click();
        assert.deepEqual((await h.posted()).slice(before), [{ type: "codeAction", id: "lossy", action: "apply", blockIndex: 0, lang: "py", code: "print(1)" }]);
    });

    test("screenshots of the harness: thinking and answered, dark, light and high contrast", async () => {
        const dir = join(repoRoot, "test-results");
        mkdirSync(dir, { recursive: true });
        const tokens = pseudoTokens(demoThought);
        const answer = pseudoTokens(demoAnswer);
        for (const theme of ["dark", "light", "hc"] as const) {
            const page = await Harness.open(browser, { theme, width: 500, height: 1040 });
            try {
                await page.post({ type: "status", text: "Thinking…", model: "DeepSeek-R1-Distill-Qwen-7B Q4_K_M" });
                await page.post(msg.start("shot", { prompt: demoRequest, thoughtBudget: 1024, model: "DeepSeek-R1-Distill-Qwen-7B · Q4_K_M" }));
                const cut = Math.floor(tokens.length * 0.85);
                const thinking = [];
                for (let i = 0; i < cut; i += 3) {
                    thinking.push(msg.progress("shot", { thought: tokens.slice(i, i + 3).join(""), thoughtState: "thinking", stats: stats(Math.min(i + 3, cut) + 480, 0, { tokensPerSecond: 38.4 }) }));
                }
                await page.postAll(thinking, true);
                await page.settle();
                await page.page.screenshot({ path: join(dir, `webview-thinking-${theme}.png`) });

                const rest = [];
                for (let i = cut; i < tokens.length; i += 3) rest.push(msg.progress("shot", { thought: tokens.slice(i, i + 3).join(""), thoughtState: "thinking", stats: stats(i + 483, 0) }));
                for (let i = 0; i < answer.length; i += 4) rest.push(msg.progress("shot", { answer: answer.slice(i, i + 4).join(""), thoughtState: "ended", stats: stats(812, i, { thoughtMs: 14_200 }) }));
                rest.push(msg.finish("shot", { reasoning: demoThought, answer: demoAnswer, stats: stats(812, answer.length, { thoughtMs: 14_200 }) }));
                rest.push({ type: "status", text: "Ready", model: "DeepSeek-R1-Distill-Qwen-7B Q4_K_M" });
                await page.postAll(rest, true);
                await page.settle();
                await page.page.locator(".transcript").evaluate((e) => { (e as unknown as { scrollTop: number }).scrollTop = 0; });
                await page.page.screenshot({ path: join(dir, `webview-answered-${theme}.png`) });
                assert.equal(await page.page.locator(".r1-thought-title").textContent(), "Thought for 14 s · 812 tokens");
                assert.deepEqual(await page.audit(), []);
                assert.deepEqual(page.errors, []);
                assert.deepEqual(page.strayRequests, []);
            } finally {
                await page.close();
            }
        }
    });
});

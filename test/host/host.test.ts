// The extension in a real VS Code host: code-server (Code-OSS workbench + Node extension host) driven by headless
// Chromium. Runs the mocha suite of test/host/suite inside the extension host (one subtest per mocha test), then a
// UI test that opens the R1 Reasoner side bar and saves test-results/sidebar.png, a UI test of Fix with R1 (the diff
// with Apply and Discard, the verified result) that saves test-results/fix-*.png, and a UI test of the chat (thinking,
// answer, Apply, a link's confirmation, Stop, the chat after a window reload) that saves test-results/chat-*.png, and one of the chat
// in an editor tab that comes back after a reload (test-results/chat-editor-restored.png), and one of the chat answered
// by a remote engine (the replay server on 127.0.0.1: remote-chat-thinking.png, remote-chat-answered.png).
// Skips (one line) when code-server or Chromium is not installed: `npm run setup:host` installs the host.
import * as assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { hostUnavailableReason, repoRoot } from "./hostPaths";
import { runExtensionTests } from "./runExtensionTests";
import { notBuilt, withWorkbench } from "./workbench";
import { dismissHovers, openActivity, openFile, r1StatusItem, runCommand, saveScreenshot, visibleWebviewFrame, waitForActivity, webviewFrame } from "./ui";
import { CHAT_ANSWER_PIECES, CHAT_REASONING, CHAT_THOUGHT, FIXED_LINE, RIGHT_FIX } from "../fixtures/cartScripts";
import { ReplayServer } from "../fixtures/remote/replayServer";
import { vllmAnswer } from "../fixtures/remote/vllmStream";
import { buildVsix } from "../../scripts/packaging/buildVsix";
import { renderIcon } from "../../scripts/packaging/renderIcon";
import { findTarget } from "../../scripts/packaging/targets";

/** The dist/server.js path of every running model process (from /proc: which copy of the extension runs it). */
function modelProcessScripts(): string[] {
    const found: string[] = [];
    for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
        try {
            const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
            const script = args.find((a) => a.endsWith("dist/server.js"));
            if (script && args.includes("--node-ipc")) found.push(script);
        } catch {
            // gone meanwhile
        }
    }
    return found;
}

const unavailable = hostUnavailableReason();

describe("R1 Reasoner in a real VS Code host (code-server + Chromium)", { skip: unavailable }, () => {
    test("extension host suite (mocha, real vscode API)", { timeout: 960_000 }, async (t) => {
        assert.equal(notBuilt, undefined, notBuilt);
        const r = await runExtensionTests({ timeoutMs: 900_000 });
        const tm = r.timings;
        t.diagnostic(`code-server ${tm.codeServerStartMs} ms, workbench ${tm.workbenchMs} ms, suite ${tm.suiteMs} ms, stop ${tm.stopMs} ms, total ${tm.totalMs} ms`);
        const hostLog = () => r.output.filter((l) => !l.startsWith("[code-server]")).slice(-40).join("\n");
        assert.ok(r.report, `the suite reported no results (${r.error ?? `exit ${r.exitCode}`}); last host output:\n${hostLog()}`);
        for (const result of r.report.tests) {
            const name = result.titlePath.join(" › ");
            if (result.state === "pending") {
                await t.test(name, { skip: "pending in mocha" }, () => undefined);
                continue;
            }
            await t.test(name, (st) => {
                st.diagnostic(`${result.durationMs} ms in the extension host`);
                if (result.state === "failed") {
                    const err = new Error(`${result.error?.message ?? "failed"}\n--- in the extension host ---\n${result.error?.stack ?? ""}`);
                    err.stack = err.message;
                    throw err;
                }
            });
        }
        assert.ok(r.report.tests.length > 0, "the suite ran no tests");
        assert.equal(r.error, undefined, r.error);
        assert.equal(r.exitCode, r.report.failed > 0 ? 1 : 0, `exit code ${r.exitCode} for ${r.report.failed} failures`);
    });

    test("UI: the R1 Reasoner view opens in the activity bar and shows its webview", { timeout: 180_000 }, async (t) => {
        const t0 = Date.now();
        await withWorkbench({ name: "sidebar" }, async (page, workbenchMs) => {
            await openActivity(page, "R1 Reasoner");
            const content = webviewFrame(page).locator("body");
            await content.waitFor({ state: "attached", timeout: 30_000 });
            // The view's webview must render something a user can see.
            await webviewFrame(page).locator("body *:visible").first().waitFor({ timeout: 30_000 });
            const text = (await content.innerText({ timeout: 10_000 })).trim();
            assert.notEqual(text, "", "the R1 Reasoner webview is empty");
            await openFile(page, "cart.ts"); // the sample's file with a type error, next to the view
            // Best effort, for the picture: the TypeScript extension's squiggle under the type error.
            const squiggle = await page.locator(".monaco-editor .squiggly-error").first().waitFor({ timeout: 15_000 }).then(() => true, () => false);
            if (!squiggle) t.diagnostic("the TypeScript type error was not underlined within 15 s (screenshot without it)");
            await dismissHovers(page);
            const shot = await saveScreenshot(page, "sidebar");

            // A contributed command through the command palette reaches the extension: Show Logs opens the panel.
            await runCommand(page, "R1: Show Logs");
            await page.locator(".part.panel").waitFor({ state: "visible", timeout: 15_000 });
            await saveScreenshot(page, "show-logs");
            t.diagnostic(`workbench ${workbenchMs} ms, UI test ${Date.now() - t0} ms; screenshot ${shot}`);
        });
    });

    test("UI: Fix with R1 from the light bulb opens a diff with Apply and Discard; Apply fixes and reports it", { timeout: 180_000 }, async (t) => {
        await withWorkbench({ name: "fix", model: { file: "right-fix.gguf", spec: RIGHT_FIX } }, async (page) => {
            await openFile(page, "cart.ts");
            await page.locator(".monaco-editor .squiggly-error").first().waitFor({ timeout: 90_000 });
            // The menu lists the providers registered when it opens: wait until the extension is active (it activates
            // on the TypeScript file; its status bar item shows once activate() has registered the code actions).
            await r1StatusItem(page).waitFor({ timeout: 90_000 });
            // The cursor on the error (line 9, in `return`), then the quick fix menu.
            await page.keyboard.press("Control+G");
            await page.keyboard.type("9:8");
            await page.keyboard.press("Enter");
            // The menu lists what the providers answered when it opened (on a busy machine TypeScript may answer
            // late, or the key may reach the editor before it has focus): open it again until our entry is listed.
            const item = page.locator(".action-widget .monaco-list-row").filter({ hasText: "Fix with R1" }).first();
            for (let attempt = 1; ; attempt++) {
                await page.keyboard.press("Control+.");
                const listed = await item.waitFor({ timeout: 10_000 }).then(() => true, () => false);
                if (listed) break;
                if (attempt === 6) assert.fail("the quick fix menu never listed Fix with R1 (opened 6 times)");
                await page.keyboard.press("Escape");
            }
            await saveScreenshot(page, "fix-quickfix-menu");
            await item.click();

            // The proposal: a diff editor titled with the fix, the Apply/Discard buttons in its title bar.
            const diffTab = page.locator(".tabs-container .tab").filter({ hasText: "R1's fix for TS2322" }).first();
            await diffTab.waitFor({ timeout: 90_000 });
            await page.locator(".monaco-diff-editor").first().waitFor({ timeout: 30_000 });
            const apply = page.locator(".editor-actions .action-label[aria-label^=\"Apply R1's Fix\"]").first();
            await apply.waitFor({ timeout: 15_000 });
            await page.locator(".editor-actions .action-label[aria-label^=\"Discard R1's Fix\"]").first().waitFor({ timeout: 15_000 });
            await page.locator(".monaco-diff-editor .char-insert, .monaco-diff-editor .line-insert").first().waitFor({ timeout: 15_000 });
            const notice = page.locator(".notifications-toasts .notification-toast").filter({ hasText: "R1's fix for TS2322 in cart.ts is ready" }).first();
            await notice.waitFor({ timeout: 15_000 });
            await notice.locator(".monaco-button").filter({ hasText: "Apply" }).first().waitFor({ timeout: 5000 });
            await page.mouse.move(700, 600); // no hover tooltip in the picture (Escape would also close the toast)
            const diffShot = await saveScreenshot(page, "fix-diff");

            await apply.click();
            const toast = page.locator(".notifications-toasts .notification-toast").filter({ hasText: "Fixed: TS2322 gone, no new problems." }).first();
            await toast.waitFor({ timeout: 60_000 });
            await diffTab.waitFor({ state: "detached", timeout: 10_000 });
            await page.locator(".monaco-editor .squiggly-error").first().waitFor({ state: "detached", timeout: 30_000 });
            const editorText = await page.locator(".monaco-editor .view-lines").first().innerText();
            assert.ok(editorText.replace(/\u00a0/g, " ").includes("return Number(text.trim()"), "the editor shows the fixed line");
            const doneShot = await saveScreenshot(page, "fix-verified");
            // The "is ready" notification outlives the decision (VS Code cannot take one back): its Apply button
            // now says the change is no longer open, and the file stays as it is.
            if (!(await notice.isVisible())) await runCommand(page, "Notifications: Show Notifications");
            const staleNotice = page.locator(".notification-list-item").filter({ hasText: "R1's fix for TS2322 in cart.ts is ready" }).first();
            await staleNotice.locator(".monaco-button").filter({ hasText: "Apply" }).first().click({ timeout: 15_000 });
            await page.locator(".notification-list-item").filter({ hasText: "that proposed change is no longer open" }).first().waitFor({ timeout: 15_000 });
            assert.equal(await page.locator(".tabs-container .tab").filter({ hasText: "R1's fix for TS2322" }).count(), 0, "no diff opens again");
            t.diagnostic(`screenshots ${diffShot}, ${doneShot}`);
        });
    });
    test("UI: chat: the thought streams then folds, Apply changes the file after the diff is accepted, links ask first, Stop keeps the thought, a reload keeps the chat and the reply it cut, marked interrupted", { timeout: 300_000 }, async (t) => {
        const model = { file: "scripted-R1-demo.gguf", spec: CHAT_REASONING };
        // Generation paced at 8 ms a token (R1_TEST_TOKEN_DELAY_MS): the 1,500-token thought lasts about 12 s, so the
        // test sees it stream and presses Stop during it however busy the machine is.
        await withWorkbench({ name: "chat", model, settings: { "r1.contextSize": 16384, "r1.thinkingBudget": 1500 }, env: { R1_TEST_TOKEN_DELAY_MS: "8" } }, async (page) => {
            const chat = webviewFrame(page);
            const lastReply = () => chat.locator(".r1-reply").last();
            await openFile(page, "cart.ts");
            // Attach the file from the palette: the chat opens with a chip above the prompt box. (The palette lists
            // the extension's commands once the extension is registered, as its activity bar item is.)
            await waitForActivity(page, "R1 Reasoner", 60_000);
            await runCommand(page, "R1: Add Current File to Chat", 30_000);
            await chat.locator(".composer .r1-chip").filter({ hasText: "cart.ts" }).waitFor({ timeout: 30_000 });
            await chat.locator(".r1-welcome").waitFor({ timeout: 10_000 });
            const prompt = chat.locator("textarea.prompt");
            await prompt.click();
            await prompt.pressSequentially("Why does parsePrice not compile?");
            await prompt.press("Enter");

            // Thinking: the block streams with its meter (tokens go up), the Stop button shows.
            const thought = lastReply().locator(".r1-thought.r1-thinking");
            await thought.waitFor({ timeout: 60_000 });
            // The thought is quick (a scripted model): the picture is taken as soon as some of it is there.
            const tokens = lastReply().locator(".r1-thought.r1-thinking .r1-meter-tokens");
            let firstCount = 0;
            for (const end = Date.now() + 60_000; firstCount < 60 && Date.now() < end;) {
                firstCount = Number((await tokens.innerText({ timeout: 60_000 })).replace(/\D/g, "")) || 0;
            }
            await page.mouse.move(700, 600);
            const thinkingShot = await saveScreenshot(page, "chat-thinking");
            assert.ok(firstCount >= 60 && firstCount < 1500, `caught while thinking (${firstCount} tokens)`);
            assert.match(await lastReply().locator(".r1-meter-budget").innerText(), /% of budget/);
            // The answer: the thought folds to its summary, the code block comes with its buttons.
            const folded = lastReply().locator(".r1-thought.r1-collapsed .r1-thought-title");
            await folded.filter({ hasText: /Thought for .* · 1,500 tokens/ }).waitFor({ timeout: 120_000 });
            const block = lastReply().locator(".r1-codeblock").filter({ hasText: "parsePrice" });
            await block.waitFor({ timeout: 30_000 });
            await lastReply().locator(".r1-regenerate").waitFor({ timeout: 30_000 });
            await page.mouse.move(700, 600);
            const answeredShot = await saveScreenshot(page, "chat-answered");

            // Apply: a diff against the attached file; the file changes only when the user accepts it.
            await block.locator('button[data-r1-action="apply"]').click();
            const diffTab = page.locator(".tabs-container .tab").filter({ hasText: "R1's change from the chat" }).first();
            await diffTab.waitFor({ timeout: 30_000 });
            await page.locator(".monaco-diff-editor .char-insert, .monaco-diff-editor .line-insert").first().waitFor({ timeout: 15_000 });
            await page.mouse.move(700, 600);
            const diffShot = await saveScreenshot(page, "chat-apply-diff");
            await page.locator(".editor-actions .action-label[aria-label^=\"Apply R1's Fix\"]").first().click();
            await diffTab.waitFor({ state: "detached", timeout: 15_000 });
            await page.locator(".monaco-editor .view-lines").filter({ hasText: "return Number(text.trim()" }).first().waitFor({ timeout: 15_000 });
            const editorText = (await page.locator(".monaco-editor .view-lines").first().innerText()).replace(/\u00a0/g, " ");
            assert.ok(editorText.includes(FIXED_LINE.trim()), `the editor shows the applied line:\n${editorText}`);

            // A link in the answer opens only after a modal that shows the URL (cancelled here).
            await lastReply().locator("[data-r1-href]").filter({ hasText: "Number() on MDN" }).click();
            const dialog = page.locator(".monaco-dialog-box").filter({ hasText: "https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/Number" });
            await dialog.waitFor({ timeout: 15_000 });
            const linkShot = await saveScreenshot(page, "chat-link-confirm");
            await dialog.locator(".monaco-button").filter({ hasText: "Cancel" }).first().click();
            await dialog.waitFor({ state: "detached", timeout: 10_000 });

            // Stop while thinking: the partial thought stays, marked as stopped.
            await prompt.click();
            await prompt.pressSequentially("Think it through once more.");
            await prompt.press("Enter");
            await lastReply().locator(".r1-thought.r1-thinking").waitFor({ timeout: 60_000 });
            await chat.locator(".composer .stop").click();
            await lastReply().locator(".r1-notice").filter({ hasText: "Stopped by you." }).waitFor({ timeout: 30_000 });
            const stoppedTitle = await lastReply().locator(".r1-thought-title").innerText();
            assert.match(stoppedTitle, /^Stopped after thinking for .* · [\d,]+ tokens$/);
            const partial = await lastReply().locator(".r1-thought-text").evaluate((e) => e.textContent ?? "");
            assert.ok(partial.startsWith("Okay, the user asks why parsePrice does not compile."), partial.slice(0, 80));

            // A window reload while a reply streams: a third question, reloaded in the middle of its thought.
            await prompt.click();
            await prompt.pressSequentially("And what about total()?");
            await prompt.press("Enter");
            await lastReply().locator(".r1-thought.r1-thinking").waitFor({ timeout: 60_000 });
            // The reply is saved with its first text, then once a second while more arrives (chat/partialSaves.ts):
            // 300 tokens at 8 ms a token are 2.4 s of thought, so a save with more than the first words was made.
            const meter = lastReply().locator(".r1-thought.r1-thinking .r1-meter-tokens");
            let streamed = 0;
            for (const end = Date.now() + 60_000; streamed < 300 && Date.now() < end;) {
                streamed = Number((await meter.innerText({ timeout: 60_000 })).replace(/\D/g, "")) || 0;
            }
            assert.ok(streamed >= 300 && streamed < 1500, `reloading while thinking (${streamed} tokens)`);
            const shownBeforeReload = await lastReply().locator(".r1-thought-text").evaluate((e) => e.textContent ?? "");

            // A window reload: the chat comes back with the three turns, the answer's code, the stopped thought and
            // the interrupted one with what had arrived.
            await runCommand(page, "Developer: Reload Window");
            await page.locator(".monaco-workbench .part.statusbar").waitFor({ timeout: 60_000 });
            // The side bar may come back hidden with the R1 item still marked (a click on the item would then
            // toggle it, depending on how far the restore got): "View: Show R1 Reasoner" shows it either way.
            await waitForActivity(page, "R1 Reasoner", 60_000);
            await runCommand(page, "View: Show R1 Reasoner", 30_000);
            await page.locator(".part.sidebar").waitFor({ state: "visible", timeout: 15_000 });
            await chat.locator(".r1-request-text").filter({ hasText: "And what about total()?" }).waitFor({ timeout: 60_000 });
            assert.equal(await chat.locator(".r1-request-text").count(), 3);
            await chat.locator(".r1-codeblock").filter({ hasText: "parsePrice" }).waitFor({ timeout: 10_000 });
            await chat.locator(".r1-reply").nth(1).locator(".r1-notice").filter({ hasText: "Stopped by you." }).waitFor({ timeout: 10_000 });
            // The reply the reload cut: marked interrupted, its thought kept up to its last save, no longer streaming.
            await lastReply().locator(".r1-notice").filter({ hasText: "Interrupted: the window was reloaded while R1 was answering." }).waitFor({ timeout: 10_000 });
            assert.equal(await lastReply().locator(".r1-thought.r1-thinking").count(), 0, "the interrupted reply is not shown as still thinking");
            const keptThought = await lastReply().locator(".r1-thought-text").evaluate((e) => e.textContent ?? "");
            assert.ok(keptThought.startsWith("Okay, the user asks why parsePrice does not compile."), `the interrupted reply keeps its thought: ${JSON.stringify(keptThought.slice(0, 80))}`);
            // The same text as streamed (the save at the reload may hold more than the page had drawn when read).
            const [shorter, longer] = [shownBeforeReload.trimEnd(), keptThought.trimEnd()].sort((a, b) => a.length - b.length);
            assert.ok(longer!.startsWith(shorter!), `the kept thought is the streamed one:\n${keptThought.slice(-120)}\n---\n${shownBeforeReload.slice(-120)}`);
            t.diagnostic(`reload while thinking (${streamed} tokens): ${shownBeforeReload.length} characters of thought shown before the reload, ${keptThought.length} kept after it`);
            assert.match(await chat.locator(".r1-reply").first().locator(".r1-thought-title").innerText(), /^Thought for .* · 1,500 tokens$/);
            await chat.locator(".r1-request .r1-chip").filter({ hasText: "cart.ts" }).first().waitFor({ timeout: 10_000 });
            await page.mouse.move(700, 600);
            const restoredShot = await saveScreenshot(page, "chat-restored");
            t.diagnostic(`screenshots ${thinkingShot}, ${answeredShot}, ${diffShot}, ${linkShot}, ${restoredShot}`);
        });
    });
    test("UI: Open Chat in Editor: the chat in an editor tab answers and comes back after a window reload", { timeout: 240_000 }, async (t) => {
        const model = { file: "scripted-R1-demo.gguf", spec: CHAT_REASONING };
        await withWorkbench({ name: "panel", model, settings: { "r1.contextSize": 16384, "r1.thinkingBudget": 200 } }, async (page) => {
            // The side bar's chat is never opened in this test: the only webview on screen is the editor tab's.
            const chat = visibleWebviewFrame(page);
            const chatTab = page.locator(".tabs-container .tab").filter({ hasText: "R1 Chat" });
            await openFile(page, "cart.ts");
            await waitForActivity(page, "R1 Reasoner", 60_000);
            await runCommand(page, "R1: Open Chat in Editor", 30_000);
            await chatTab.first().waitFor({ timeout: 30_000 });
            const prompt = chat.locator("textarea.prompt");
            await prompt.click({ timeout: 30_000 });
            await prompt.pressSequentially("Why does parsePrice not compile?");
            await prompt.press("Enter");
            await chat.locator(".r1-reply .r1-codeblock").filter({ hasText: "parsePrice" }).waitFor({ timeout: 120_000 });
            await chat.locator(".r1-reply .r1-regenerate").waitFor({ timeout: 30_000 });

            await runCommand(page, "Developer: Reload Window");
            await page.locator(".monaco-workbench .part.statusbar").waitFor({ timeout: 60_000 });
            await chatTab.first().waitFor({ timeout: 60_000 });
            assert.equal(await chatTab.count(), 1, "one chat tab after the reload");
            await chat.locator(".r1-request-text").filter({ hasText: "Why does parsePrice not compile?" }).waitFor({ timeout: 60_000 });
            await chat.locator(".r1-reply .r1-codeblock").filter({ hasText: "parsePrice" }).waitFor({ timeout: 10_000 });
            assert.match(await chat.locator(".r1-reply .r1-thought-title").first().innerText(), /^Thought for .* · 200 tokens$/);
            // And it still answers: the restored tab is wired to the chat, not a dead page.
            await prompt.click();
            await prompt.pressSequentially("And total()?");
            await prompt.press("Enter");
            await chat.locator(".r1-reply").nth(1).locator(".r1-codeblock").waitFor({ timeout: 120_000 });
            await page.mouse.move(700, 600);
            t.diagnostic(`screenshot ${await saveScreenshot(page, "chat-editor-restored")}`);
        });
    });
    test("UI: a remote engine: chosen with 'Use a Remote Engine…', asked once, its thought streams in the chat, Stop closes the connection", { timeout: 240_000 }, async (t) => {
        const reply = { reasoning: CHAT_THOUGHT, answer: CHAT_ANSWER_PIECES.join("").trimStart() };
        const stream = vllmAnswer("deepseek-reasoner", reply);
        // The first reply stops sending (the connection stays open) once the whole thought is there: still thinking.
        const hangAt = (stream.body ?? "").indexOf('"content":"`parsePrice');
        const server = await ReplayServer.start({ models: ["deepseek-reasoner"], chat: [{ ...stream, writeSize: 700, stopAfter: { bytes: hangAt - 200, how: "hang" } }, stream] });
        const label = `deepseek-reasoner @ 127.0.0.1:${server.port}`;
        try {
            await withWorkbench({ name: "remote" }, async (page) => {
                await openFile(page, "cart.ts", 60_000);
                await runCommand(page, "R1: Use a Remote Engine…", 60_000);
                const input = page.locator(".quick-input-widget .quick-input-box input >> visible=true").first();
                await input.waitFor({ timeout: 60_000 });
                await input.fill(`127.0.0.1:${server.port}`);
                await input.press("Enter");
                const row = page.locator(".quick-input-widget .quick-input-list .monaco-list-row").filter({ hasText: "deepseek-reasoner" }).first();
                await row.waitFor({ timeout: 30_000 });
                await page.keyboard.press("Enter");
                await page.locator(".quick-input-widget .quick-input-message, .quick-input-widget").filter({ hasText: "API key" }).first().waitFor({ timeout: 15_000 });
                await page.keyboard.press("Enter"); // no key
                const status = page.locator(".part.statusbar .statusbar-item").filter({ hasText: `R1 · ${label}` }).first();
                await status.waitFor({ timeout: 15_000 });

                await openActivity(page, "R1 Reasoner");
                const chat = webviewFrame(page);
                await chat.locator(".r1-model-name").filter({ hasText: "deepseek-reasoner" }).waitFor({ timeout: 30_000 });
                await chat.locator(".r1-chat-header").filter({ hasText: `127.0.0.1:${server.port}` }).waitFor({ timeout: 10_000 });
                const prompt = chat.locator("textarea.prompt");
                await prompt.click();
                await prompt.pressSequentially("Why does parsePrice not compile?");
                await prompt.press("Enter");
                // Asked once before the code leaves: the modal names where it goes.
                const dialog = page.locator(".monaco-dialog-box").filter({ hasText: `This sends your code to http://127.0.0.1:${server.port}.` });
                await dialog.waitFor({ timeout: 30_000 });
                const consentShot = await saveScreenshot(page, "remote-consent");
                await dialog.locator(".monaco-button").filter({ hasText: "Send" }).first().click();

                const reply = chat.locator(".r1-reply").last();
                await reply.locator(".r1-thought.r1-thinking .r1-thought-text").filter({ hasText: "That matches the error on line 9" }).waitFor({ timeout: 60_000 });
                await page.mouse.move(700, 600);
                const thinkingShot = await saveScreenshot(page, "remote-chat-thinking");
                assert.equal(server.chatRequests.length, 1);

                // Stop: the HTTP request is aborted (the server sees the connection close); the thought stays.
                await chat.locator(".composer .stop").click();
                await server.chatRequests[0]!.closedEarly;
                await reply.locator(".r1-notice").filter({ hasText: "Stopped by you." }).waitFor({ timeout: 30_000 });

                // The next message is not asked about again, and its reply comes whole: the thought folds, the answer shows.
                await prompt.click();
                await prompt.pressSequentially("Show me the fixed function.");
                await prompt.press("Enter");
                const answered = chat.locator(".r1-reply").last();
                await answered.locator(".r1-codeblock").filter({ hasText: "parsePrice" }).waitFor({ timeout: 60_000 });
                await answered.locator(".r1-thought.r1-collapsed").waitFor({ timeout: 30_000 });
                assert.equal(await page.locator(".monaco-dialog-box").count(), 0, "no second question");
                await page.mouse.move(700, 600);
                const answeredShot = await saveScreenshot(page, "remote-chat-answered");
                t.diagnostic(`screenshots ${consentShot}, ${thinkingShot}, ${answeredShot}`);
            });
        } finally {
            await server.close();
        }
    });

    test("UI: the linux-x64 VSIX, installed with --install-extension into a clean profile, answers in the chat and offers Fix with R1; its contents pass the check", { timeout: 300_000, skip: process.platform === "linux" && process.arch === "x64" ? false : "the install test builds the linux-x64 VSIX" }, async (t) => {
        const t0 = Date.now();
        const outDir = mkdtempSync(join(tmpdir(), "r1-vsix-"));
        try {
            await renderIcon(repoRoot);
            const built = await buildVsix(findTarget("linux-x64"), { root: repoRoot, cacheDir: join(repoRoot, ".package-cache"), outDir });
            t.diagnostic(`VSIX ${(built.bytes / 1048576).toFixed(1)} MB, ${built.files} files, backends ${built.backends.join(", ")}, built in ${Date.now() - t0} ms`);
            for (const w of built.vsceWarnings) t.diagnostic(`vsce: ${w.trim()}`);
            // The contents check: no other platform's binary, no sources, tests, maps or models (vsixContents.ts).
            assert.deepEqual(built.problems, [], `the VSIX fails the contents check:\n${built.problems.join("\n")}`);
            // vsce prints no warning: node-llama-cpp and its dependencies are bundled (bundleLlama.ts), so there is no
            // "you should bundle your extension"; a missing manifest field or a broken image link would fail here too.
            assert.deepEqual(built.vsceWarnings, [], built.vsceOutput);
            assert.ok(built.jsFiles <= 100, `${built.jsFiles} .js files in the VSIX (vsce warns above 100)`);

            const model = { file: "scripted-R1-demo.gguf", spec: CHAT_REASONING };
            await withWorkbench({ name: "installed", model, vsix: built.file, settings: { "r1.contextSize": 16384, "r1.thinkingBudget": 200 } }, async (page) => {
                await openFile(page, "cart.ts");
                // Fix with R1 is offered on the TypeScript error (the installed extension activated on the file).
                await page.locator(".monaco-editor .squiggly-error").first().waitFor({ timeout: 90_000 });
                await r1StatusItem(page).waitFor({ timeout: 90_000 });
                await page.keyboard.press("Control+G");
                await page.keyboard.type("9:8");
                await page.keyboard.press("Enter");
                const item = page.locator(".action-widget .monaco-list-row").filter({ hasText: "Fix with R1" }).first();
                for (let attempt = 1; ; attempt++) {
                    await page.keyboard.press("Control+.");
                    if (await item.waitFor({ timeout: 10_000 }).then(() => true, () => false)) break;
                    if (attempt === 6) assert.fail("the quick fix menu never listed Fix with R1 (opened 6 times)");
                    await page.keyboard.press("Escape");
                }
                await page.keyboard.press("Escape");
                // The chat answers with the generated model, run by the installed extension's own node-llama-cpp.
                // Its keybinding (Ctrl+Alt+Shift+A: R1: Open Chat) opens the chat in the side bar.
                await page.locator(".monaco-editor textarea").first().focus();
                await page.keyboard.press("Control+Alt+Shift+A");
                await page.locator(".part.sidebar .composite.title").filter({ hasText: /R1 Reasoner/i }).first().waitFor({ timeout: 30_000 });
                const chat = webviewFrame(page);
                const prompt = chat.locator("textarea.prompt");
                await prompt.click({ timeout: 30_000 });
                await prompt.pressSequentially("Why does parsePrice not compile?");
                await prompt.press("Enter");
                await chat.locator(".r1-reply .r1-codeblock").filter({ hasText: "parsePrice" }).waitFor({ timeout: 120_000 });
                await page.mouse.move(700, 600);
                const shot = await saveScreenshot(page, "installed-chat-answered");
                const servers = modelProcessScripts();
                assert.ok(servers.some((p) => /\/extensions\/r1-reasoner\.r1-reasoner-[^/]+\/dist\/server\.js$/.test(p)) && !servers.some((p) => p.startsWith(repoRoot)),
                    `the model process runs from the installed extension, not the working tree: ${servers.join(", ") || "none found"}`);
                t.diagnostic(`model process ${servers.join(", ")}; screenshot ${shot}; ${Date.now() - t0} ms in all`);
            });
        } finally {
            rmSync(outDir, { recursive: true, force: true });
        }
    });
});

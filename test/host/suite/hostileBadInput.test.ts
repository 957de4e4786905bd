// Hostile: bad input in the real extension host with the real model process. Malformed GGUF files of every kind
// (test/fixtures/malformedGguf) chosen while a good model is loaded: each is refused with a message, the previous
// model stays loaded, the next request works (the extension host running this suite never crashed). Settings of
// the wrong type or out of range: named once, the default used, requests work. r1.contextSize above the model's
// training context: the status tooltip says so. A model whose name is hostile markdown: the status bar shows it as
// text. A 5 MB selection sent to Explain Code: trimmed with a notice, and the explanation comes back.
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import * as vscode from "vscode";
import type { ExplainOutcome } from "../../../src/features/explain/explainCode";
import type { ReasonParams, ReasonResult, ServerStatus } from "../../../src/shared/lspProtocol";
import { malformedGgufs } from "../../fixtures/malformedGguf";
import { r1ReplyPieces } from "../../fixtures/scriptPieces";
import { writeScriptedModel } from "../../fixtures/scriptedModel";
import { extensionId, r1, setR1, waitFor } from "./helpers";

interface R1Api {
    modelProcess: { reason(params: ReasonParams, onProgress: () => void): Promise<ReasonResult>; status: ServerStatus | undefined };
    statusBar: { shown: { text: string; tooltip: string } };
}

const hostileName = "[Run](command:workbench.action.terminal.new) $(alert) ![t](https://evil.test/t.png) <img src=x onerror=alert(1)>";

describe("Hostile: malformed models, bad settings and huge selections in the real host", function () {
    this.timeout(120_000);
    let api: R1Api;
    let tmp = "";
    let good = "";
    const shown: string[] = [];
    const restores: Array<() => void> = [];

    const ask = (): Promise<ReasonResult> => api.modelProcess.reason({
        action: "chat", modelPath: good, turns: [{ role: "user", text: "hello" }], sampling: { temperature: 0.6, topP: 0.95, thoughtBudget: 0, maxTokens: 256 }
    }, () => undefined);

    before(async function () {
        this.timeout(150_000);
        api = (await vscode.extensions.getExtension(extensionId)!.activate()) as R1Api;
        tmp = mkdtempSync(join(tmpdir(), "r1-bad-input-host-"));
        good = join(tmp, "good.gguf");
        await writeScriptedModel(good, { pieces: r1ReplyPieces({ thought: "A greeting.", answer: "\n\nHello there." }), name: hostileName });
        // Every notification the extension shows, answered at once (the extension gets the same window object).
        for (const name of ["showInformationMessage", "showWarningMessage", "showErrorMessage"] as const) {
            const original = vscode.window[name];
            (vscode.window as unknown as Record<string, unknown>)[name] = (message: string) => {
                shown.push(message);
                return Promise.resolve(undefined);
            };
            restores.push(() => ((vscode.window as unknown as Record<string, unknown>)[name] = original));
        }
        await setR1("threads", 1);
        assert.equal(await vscode.commands.executeCommand("r1.selectModel", good), true, `the good model loads: ${shown.join(" | ")}`);
    });

    after(async () => {
        for (const r of restores) r();
        for (const key of ["modelPath", "threads", "contextSize", "temperature"]) await setR1(key, undefined);
        await vscode.commands.executeCommand("workbench.action.closeAllEditors");
        if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    it("a model's hostile name is text in the status bar and its tooltip: no link, no icon, no HTML", async () => {
        const status = await waitFor(() => api.statusBar.shown.tooltip.includes("Model:") && api.statusBar.shown, 30_000, "the tooltip names the model");
        assert.doesNotMatch(status.tooltip, /(?<!\\)\]\((?:command|https?):/, `tooltip: ${status.tooltip}`);
        assert.doesNotMatch(status.tooltip, /(?<!\\)<img/, "raw HTML is escaped");
        assert.doesNotMatch(status.text, /(?<!\\)\$\(alert\)/, `status text: ${status.text}`);
        // The model is named by its file (good.gguf) in both; wherever its GGUF name (the hostile text) would show,
        // it is text: the checks above fail on a live link, icon or tag from it.
        assert.match(status.tooltip, /good/, `the tooltip names the model: ${status.tooltip}`);
    });

    it("each malformed GGUF is refused with a message naming it; the previous model stays loaded and answers", async function () {
        this.timeout(300_000);
        // One of each way a file fails (every kind goes through the check in test/unit/reliability/malformedGguf):
        // not GGUF, cut short, absurd counts, absurd string length, missing keys, and one only llama.cpp refuses.
        const kinds = ["bad-magic.gguf", "truncated-header.gguf", "absurd-tensor-count.gguf", "huge-string-value.gguf", "missing-hyperparameters.gguf", "no-tensors.gguf"];
        const files = malformedGgufs().filter((f) => kinds.includes(f.name));
        assert.equal(files.length, kinds.length);
        const refused: string[] = [];
        for (const { name, bytes } of files) {
            const path = join(tmp, name);
            writeFileSync(path, bytes);
            const from = shown.length;
            const ok = await vscode.commands.executeCommand<boolean>("r1.selectModel", path);
            assert.equal(ok, false, `${name} was accepted`);
            const message = shown.slice(from).find((m) => m.startsWith("R1: "));
            assert.ok(message, `${name}: the user is told (${shown.slice(from).join(" | ")})`);
            assert.ok(message.includes(name) || message.includes(basename(good)), `${name}: ${message}`);
            refused.push(`${name}: ${message.slice(0, 160)}`);
            assert.equal(r1().get("modelPath"), good, `${name}: the previous model stays selected`);
        }
        console.log(`[hostile] ${refused.length} malformed models refused:\n  ${refused.join("\n  ")}`);
        const result = await ask();
        assert.equal(result.answer.trim(), "Hello there.", "the previous model answers");
        assert.equal(api.modelProcess.status?.model?.path, good, "the previous model is the loaded one");
    });

    it("settings of the wrong type or out of range are named once, the defaults are used, and requests work", async function () {
        this.timeout(120_000);
        const from = shown.length;
        await setR1("contextSize", "big");
        await setR1("threads", 9999);
        await setR1("temperature", "hot");
        const expected = [
            'R1: r1.contextSize is "big", not a whole number: using 8192.',
            "R1: r1.threads is 9999, above its maximum 256: using 0.",
            'R1: r1.temperature is "hot", not a number: using 0.6.'
        ];
        await waitFor(() => expected.every((e) => shown.slice(from).includes(e)), 30_000, `the problems are named: ${shown.slice(from).join(" | ")}`);
        for (const e of expected) assert.equal(shown.slice(from).filter((m) => m === e).length, 1, `said once: ${e}`);
        const result = await ask();
        assert.equal(result.answer.trim(), "Hello there.");
        const settings = await waitFor(() => api.modelProcess.status?.settings, 30_000, "the process reports its settings");
        assert.equal(settings.contextSize, 8192);
        assert.equal(settings.threads, 0);
        await setR1("threads", 1);
        await setR1("temperature", undefined);
    });

    it("r1.contextSize above the model's training context: the status tooltip says the context is the trained one", async function () {
        this.timeout(120_000);
        await setR1("contextSize", 16384);
        await ask();
        // The tooltip is markdown: appendText writes spaces as &nbsp; and escapes punctuation; read it as the user sees it.
        const asShown = (md: string): string => md.replace(/&nbsp;/g, " ").replace(/\\([\\`*_{}[\]()#+\-.!<>|~])/g, "$1");
        const tooltip = await waitFor(() => /trained for/.test(asShown(api.statusBar.shown.tooltip)) && asShown(api.statusBar.shown.tooltip), 30_000, `the tooltip says so: ${api.statusBar.shown.tooltip}`);
        assert.match(tooltip, /r1\.contextSize asks for 16384 tokens, but .* was trained for 4096: the context is 4096 tokens\./);
        assert.equal(api.modelProcess.status?.engine?.contextSize, 4096);
    });

    it("a 5 MB selection sent to Explain Code is trimmed with a notice, and the explanation comes back", async function () {
        this.timeout(120_000);
        await setR1("contextSize", 4096);
        const line = "    total = total + prices[i] * quantities[i]; // generated";
        const text = Array.from({ length: Math.ceil(5_000_000 / (line.length + 1)) }, () => line).join("\n") + "\n";
        const uri = vscode.Uri.file(join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, "src", "huge.txt"));
        writeFileSync(uri.fsPath, text);
        try {
            const doc = await vscode.workspace.openTextDocument(uri);
            const editor = await vscode.window.showTextDocument(doc);
            editor.selection = new vscode.Selection(0, 0, doc.lineCount - 1, 0);
            const from = shown.length;
            const outcome = await vscode.commands.executeCommand<ExplainOutcome>("r1.explainCode");
            assert.equal(outcome.status, "explained", outcome.message);
            assert.equal(outcome.answer?.trim(), "Hello there.");
            assert.ok((outcome.prompt ?? "").length < 20_000, `the prompt has ${outcome.prompt?.length} characters`);
            const notice = shown.slice(from).find((m) => /only its first \d+ lines/.test(m));
            assert.ok(notice, `the user is told: ${shown.slice(from).join(" | ")}`);
            console.log(`[hostile] 5 MB selection: ${notice}`);
        } finally {
            await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
            rmSync(uri.fsPath, { force: true });
        }
    });
});

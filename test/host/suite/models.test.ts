// "R1: Select Model" and "R1: Manage Models" in the real extension host: the picker lists the catalog (every
// distill × quantization, the 671B models as needing a serving engine), downloaded models first and the
// recommended entry preselected; a local model chosen in it is checked, loaded by the model process and stored
// in r1.modelPath; a file that is not a usable GGUF is refused and the previous model stays.
//
// The quick picks are the real ones: the test wraps window.createQuickPick (the extension gets the same API
// object) to read their items, and accepts an item through the workbench's own command.
import * as assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import * as vscode from "vscode";
import { formatBytes } from "../../../src/core/models/byteSize";
import { fakeModel } from "../../unit/support/ggufBytes";
import { startFileServer, type TestServer } from "../../unit/support/testServers";
import { extensionId, r1, setR1, waitFor } from "./helpers";

const repoRoot = join(__dirname, "../../../..");

/** The generated R1 model (npm run fixtures), else the tiny real Llama in ../shared; undefined when neither exists. */
function fixtureModel(): string | undefined {
    const candidates = [join(repoRoot, "test/fixtures/models/r1-scripted.gguf"), join(repoRoot, "../shared/fixtures/models/stories260K.gguf")];
    return candidates.find((p) => existsSync(p));
}

interface CatalogJson {
    models: Array<{ name: string; requiresServingEngine: boolean; quantizations: Array<{ quant: string }> }>;
}

interface R1Api {
    modelProcess: { status?: { state: string; model?: { path: string } } };
}

type Item = vscode.QuickPickItem & { action?: { kind: string } };

/** Captures the quick picks the extension creates from now on. */
function capturePickers(): { next(timeoutMs?: number): Promise<vscode.QuickPick<Item>>; restore(): void } {
    const original = vscode.window.createQuickPick;
    const created: Array<vscode.QuickPick<Item>> = [];
    (vscode.window as { createQuickPick: typeof original }).createQuickPick = function <T extends vscode.QuickPickItem>() {
        const qp = original.call(vscode.window) as vscode.QuickPick<T>;
        created.push(qp as unknown as vscode.QuickPick<Item>);
        return qp;
    };
    let taken = 0;
    return {
        async next(timeoutMs = 30_000) {
            await waitFor(() => created.length > taken, timeoutMs, "the extension opens a quick pick");
            return created[taken++];
        },
        restore() {
            (vscode.window as { createQuickPick: typeof original }).createQuickPick = original;
        }
    };
}

/**
 * Makes `item` the picker's active item and accepts it with the workbench's own command, as Enter would. The
 * workbench echoes the new active item back to the extension host: accepting waits for that echo, so the
 * workbench accepts this item, not the one it had before.
 */
async function acceptItem(qp: vscode.QuickPick<Item>, item: Item): Promise<void> {
    let shown = qp.activeItems.length === 1 && qp.activeItems[0] === item;
    const sub = qp.onDidChangeActive((items) => (shown ||= items.length === 1 && items[0] === item));
    try {
        qp.activeItems = [item];
        await waitFor(() => shown, 30_000, `the workbench shows "${item.label}" as the active item`);
    } finally {
        sub.dispose();
    }
    await vscode.commands.executeCommand("workbench.action.acceptSelectedQuickOpenItem");
}

/** Opens "R1: Select Model" and waits until its items are filled in (the machine measured). */
async function openPicker(capture: ReturnType<typeof capturePickers>): Promise<{ qp: vscode.QuickPick<Item>; result: Thenable<unknown> }> {
    const result = vscode.commands.executeCommand("r1.selectModel");
    const qp = await capture.next();
    await waitFor(() => !qp.busy && qp.items.length > 1, 60_000, "the model picker stayed busy");
    return { qp, result };
}

describe("Models: R1: Select Model and R1: Manage Models", function () {
    this.timeout(90_000);
    let tmp = "";
    let fixture: string | undefined;
    let storedPath = "";
    let capture: ReturnType<typeof capturePickers>;
    let api: R1Api;

    before(async function () {
        fixture = fixtureModel();
        if (!fixture) {
            console.log("[models] skipped: no test/fixtures/models/r1-scripted.gguf (run `npm run fixtures`) and no ../shared/fixtures/models/stories260K.gguf");
            this.skip();
        }
        tmp = mkdtempSync(join(tmpdir(), "r1-models-host-"));
        // A model "downloaded" into the models folder (a publisher folder, as downloads make them).
        const modelsFolder = join(tmp, "models");
        mkdirSync(join(modelsFolder, "local"), { recursive: true });
        storedPath = join(modelsFolder, "local", basename(fixture));
        copyFileSync(fixture, storedPath);
        await setR1("modelsFolder", modelsFolder);
        await setR1("modelPath", undefined);
        api = (await vscode.extensions.getExtension(extensionId)!.activate()) as R1Api;
        capture = capturePickers();
    });

    after(async () => {
        capture?.restore();
        await setR1("modelPath", undefined);
        await setR1("modelsFolder", undefined);
        if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    it("lists downloaded models first, every catalog entry with size, memory and fit, the recommended one preselected, and 'Use a GGUF file on disk…'", async () => {
        assert.equal(r1().get("modelsFolder"), join(tmp, "models"), "r1.modelsFolder is set for this test");
        const { qp, result } = await openPicker(capture);
        try {
            const items = qp.items;
            assert.equal(items[0].kind, vscode.QuickPickItemKind.Separator);
            assert.equal(items[0].label, "Downloaded");
            assert.ok(items[1].label.endsWith(basename(storedPath)), `first item: ${items[1].label}`);
            assert.equal(items[1].detail, storedPath);

            const catalog = JSON.parse(readFileSync(join(repoRoot, "models/catalog.json"), "utf8")) as CatalogJson;
            for (const m of catalog.models) {
                const short = m.name.replace(/^DeepSeek-R1-Distill-/, "");
                assert.ok(items.some((i) => i.kind === vscode.QuickPickItemKind.Separator && i.label.startsWith(`${short} · `)), `no group for ${m.name}`);
                for (const q of m.quantizations) {
                    const item = items.find((i) => i.label.endsWith(` ${short} ${q.quant}`));
                    assert.ok(item, `${short} ${q.quant} is not listed`);
                    assert.match(item.description ?? "", / GB.*needs ~[\d.]+ GB/, `${short} ${q.quant}: ${item.description}`);
                    if (m.requiresServingEngine) assert.match(item.description ?? "", /needs a serving engine/);
                    else assert.match(item.description ?? "", /fits|tight|partly on the CPU|too big/);
                    assert.match(item.detail ?? "", /LiveCodeBench [\d.]+/);
                }
            }
            const recommended = items.filter((i) => /^\$\(star-full\) /.test(i.label));
            assert.equal(recommended.length, 1, "one recommended entry");
            assert.match(recommended[0].description ?? "", /^recommended · /);
            assert.deepEqual(qp.activeItems.map((i) => i.label), [recommended[0].label], "the recommended entry is preselected");
            console.log(`[models] ${qp.title} · recommended ${recommended[0].label} (${recommended[0].description})`);
            assert.match(qp.title ?? "", /^Select Model · .*free$/, `the title says what the machine has: ${qp.title}`);
            const last = items.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator).slice(-3).map((i) => i.label);
            assert.ok(last.some((l) => l.includes("Use a GGUF file on disk…")), `last items: ${last.join(" | ")}`);
            assert.ok(last.some((l) => l.includes("Use a remote engine…")), `last items: ${last.join(" | ")}`);
        } finally {
            qp.hide();
        }
        assert.equal(await result, undefined, "dismissing the picker changes nothing");
        assert.equal(r1().get<string>("modelPath") ?? "", "");
    });

    it("a local model chosen in the picker is checked, loaded by the model process and stored in r1.modelPath", async () => {
        const { qp, result } = await openPicker(capture);
        const item = qp.items.find((i) => i.label.endsWith(basename(storedPath)));
        assert.ok(item, "the downloaded model is listed");
        await acceptItem(qp, item);
        assert.equal(await result, true, "the command reports the model in use");
        assert.equal(r1().get("modelPath"), storedPath);
        assert.equal(api.modelProcess.status?.state, "ready");
        assert.equal(api.modelProcess.status?.model?.path, storedPath);
    });

    it("a file that is not a GGUF model, or a model of another architecture, is refused and the previous model stays", async () => {
        const previous = r1().get<string>("modelPath");
        assert.equal(previous, storedPath, "the previous test selected the fixture");
        // The messages the user is shown (the extension gets the same window object), answered at once.
        const original = vscode.window.showErrorMessage;
        const shown: string[] = [];
        (vscode.window as { showErrorMessage: unknown }).showErrorMessage = (message: string) => {
            shown.push(message);
            return Promise.resolve(undefined);
        };
        try {
            const html = join(tmp, "login-page.gguf");
            writeFileSync(html, "<!DOCTYPE html><html><body>Sign in</body></html>");
            assert.equal(await vscode.commands.executeCommand("r1.selectModel", html), false);
            const other = join(tmp, "whisper.gguf");
            writeFileSync(other, fakeModel("whisper", 4096));
            assert.equal(await vscode.commands.executeCommand("r1.selectModel", other), false);
            const missing = join(tmp, "nowhere.gguf");
            assert.equal(await vscode.commands.executeCommand("r1.selectModel", missing), false);
        } finally {
            (vscode.window as { showErrorMessage: unknown }).showErrorMessage = original;
        }
        // The model process's check says what each file is, and that the previous model stays.
        assert.equal(shown.length, 3, shown.join(" | "));
        assert.match(shown[0], /^R1: login-page\.gguf is a web page or an error response/);
        assert.match(shown[1], /^R1: whisper\.gguf is a "whisper" model; R1 Reasoner runs qwen2, llama, deepseek2 models/);
        assert.match(shown[2], /^R1: Model file not found: .*nowhere\.gguf/);
        for (const message of shown) assert.ok(message.endsWith(` ${basename(storedPath)} stays selected.`), message);
        assert.equal(r1().get("modelPath"), previous);
        assert.equal(api.modelProcess.status?.model?.path, previous, "the loaded model was not unloaded");
    });

    it("R1: Manage Models lists the downloaded file with its size and marks the active one", async () => {
        const result = vscode.commands.executeCommand("r1.manageModels");
        const qp = await capture.next();
        await waitFor(() => qp.items.length > 0, 30_000, "Manage Models lists the models");
        try {
            const item = qp.items.find((i) => i.detail === storedPath);
            assert.ok(item, `the model is listed: ${qp.items.map((i) => i.label).join(" | ")}`);
            assert.equal(item.description, `active · ${formatBytes(statSync(storedPath).size)}`);
            assert.ok(qp.placeholder?.startsWith(`${formatBytes(statSync(storedPath).size)} in ${join(tmp, "models")}:`), qp.placeholder);
        } finally {
            qp.hide();
        }
        await result;
    });
});

interface CatalogQuantJson {
    quant: string;
    files: Array<{ path: string; url: string; sha256: string | null; sizePrecision: string }>;
}
interface CatalogFileJson {
    models: Array<{ id: string; quantizations: CatalogQuantJson[] }>;
}

describe("Models: downloading from the picker (a local server stands in for Hugging Face through HF_ENDPOINT)", function () {
    this.timeout(90_000);
    let tmp = "";
    let modelsFolder = "";
    let server: TestServer | undefined;
    let capture: ReturnType<typeof capturePickers>;
    let api: R1Api;
    let body: Buffer;
    const savedEndpoint = process.env.HF_ENDPOINT;

    /**
     * A quantization of the 1.5B distill (one file) that `want` accepts and no earlier test used: its path on the
     * server, where it lands, and its picker label. The fixture is served in its place, so a file with an exact
     * size or a sha256 in the catalog is refused (what the checksum test wants, and what the others must avoid).
     */
    const used = new Set<string>();
    function qwen15(want: (q: CatalogQuantJson) => boolean): { route: string; destination: string; label: string } {
        const catalog = JSON.parse(readFileSync(join(repoRoot, "models/catalog.json"), "utf8")) as CatalogFileJson;
        const quants = catalog.models.find((m) => m.id === "deepseek-r1-distill-qwen-1.5b")!.quantizations;
        const q = quants.find((x) => x.files.length === 1 && !used.has(x.quant) && want(x));
        assert.ok(q, "the catalog has a 1.5B quantization for this test");
        used.add(q.quant);
        const url = new URL(q.files[0].url);
        return { route: url.pathname, destination: join(modelsFolder, url.pathname.split("/")[1], basename(q.files[0].path)), label: ` Qwen-1.5B ${q.quant}` };
    }
    const unverifiable = (q: CatalogQuantJson) => q.files[0].sha256 === null && q.files[0].sizePrecision !== "exact";
    const withChecksum = (q: CatalogQuantJson) => q.files[0].sha256 !== null && q.files[0].sizePrecision !== "exact";

    async function chooseInPicker(labelEnd: string): Promise<unknown> {
        const { qp, result } = await openPicker(capture);
        const item = qp.items.find((i) => i.label.endsWith(labelEnd));
        assert.ok(item, `${labelEnd} is not in the picker`);
        await acceptItem(qp, item);
        return result;
    }

    before(async function () {
        const fixture = fixtureModel();
        if (!fixture) this.skip();
        body = readFileSync(fixture!);
        tmp = mkdtempSync(join(tmpdir(), "r1-downloads-host-"));
        modelsFolder = join(tmp, "models");
        server = await startFileServer();
        process.env.HF_ENDPOINT = server.origin;
        await setR1("modelsFolder", modelsFolder);
        await setR1("downloadProxy", "direct");
        await setR1("contextSize", 2048);
        await setR1("modelPath", undefined);
        await vscode.commands.executeCommand("r1.setHuggingFaceToken", "");
        api = (await vscode.extensions.getExtension(extensionId)!.activate()) as R1Api;
        capture = capturePickers();
    });

    after(async () => {
        capture?.restore();
        if (savedEndpoint === undefined) delete process.env.HF_ENDPOINT;
        else process.env.HF_ENDPOINT = savedEndpoint;
        await server?.close();
        await vscode.commands.executeCommand("r1.setHuggingFaceToken", "");
        for (const key of ["modelPath", "modelsFolder", "downloadProxy", "contextSize"]) await setR1(key, undefined);
        if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    it("a catalog entry not on disk is downloaded into the models folder (resuming after a dropped connection), then loaded and selected", async () => {
        const q = qwen15(unverifiable);
        const cut = Math.floor(body.length / 3);
        // The connection drops once the client has the first `cut` bytes on disk (however long its writes take).
        const part = `${q.destination}.part`;
        const partHas = (n: number) => existsSync(part) && statSync(part).size >= n;
        server!.routes.set(q.route, { body, etag: '"v1"', dropAfterBytes: cut, dropWhen: () => waitFor(() => partHas(cut), 60_000, "the client wrote what it received") });
        assert.equal(await chooseInPicker(q.label), true, "the command reports the downloaded model in use");
        assert.deepEqual(readFileSync(q.destination), body, "the file is complete under its final name");
        assert.equal(existsSync(`${q.destination}.part`), false, "no partial file is left");
        const requests = server!.log.filter((l) => l.path === q.route);
        assert.equal(requests.length, 2, "the dropped connection was resumed once");
        // The server dropped the connection after `cut` bytes, once the client had them in its part file: the
        // second request resumes from exactly there.
        const resumedAt = Number(/^bytes=(\d+)-$/.exec(requests[1].range ?? "")?.[1] ?? NaN);
        assert.equal(resumedAt, cut, `the second request resumed from what the first delivered (${requests[1].range}, cut at ${cut})`);
        assert.equal(requests[1].bodyBytesSent, body.length - resumedAt, "the resume transferred only the rest of the file");
        assert.equal(r1().get("modelPath"), q.destination);
        assert.equal(api.modelProcess.status?.model?.path, q.destination);
    });

    it("a gated file (HTTP 401) fails with the previous model kept, and downloads once R1: Set Hugging Face Token has saved a token", async () => {
        const previous = join(tmp, "previous.gguf");
        copyFileSync(fixtureModel()!, previous);
        assert.equal(await vscode.commands.executeCommand("r1.selectModel", previous), true);
        const q = qwen15(unverifiable);
        server!.routes.set(q.route, { body, requireAuthorization: "Bearer hf_hosttest" });
        assert.equal(await chooseInPicker(q.label), false);
        assert.equal(existsSync(q.destination), false);
        assert.equal(server!.log.filter((l) => l.path === q.route).at(-1)?.authorization, undefined);
        assert.equal(r1().get("modelPath"), previous, "the previous model stays selected");
        assert.equal(api.modelProcess.status?.model?.path, previous, "and loaded");

        assert.equal(await vscode.commands.executeCommand("r1.setHuggingFaceToken", "hf_hosttest"), true);
        assert.equal(await chooseInPicker(q.label), true);
        assert.equal(server!.log.filter((l) => l.path === q.route).at(-1)?.authorization, "Bearer hf_hosttest");
        assert.deepEqual(readFileSync(q.destination), body);
        assert.equal(r1().get("modelPath"), q.destination);
    });

    it("a file whose sha256 is not the catalog's is rejected and removed, and the previous model stays", async () => {
        const previous = r1().get<string>("modelPath");
        assert.ok(previous, "an earlier test selected a model");
        const q = qwen15(withChecksum);
        server!.routes.set(q.route, { body });
        assert.equal(await chooseInPicker(q.label), false);
        assert.equal(server!.log.filter((l) => l.path === q.route).at(-1)?.bodyBytesSent, body.length, "the whole file came");
        assert.equal(existsSync(q.destination), false, "nothing under the final name");
        assert.equal(existsSync(`${q.destination}.part`), false, "the damaged part is deleted");
        assert.equal(r1().get("modelPath"), previous);
        assert.equal(api.modelProcess.status?.model?.path, previous);
    });

    it("a file missing on the server (HTTP 404) leaves nothing under its name and changes nothing", async () => {
        const previous = r1().get<string>("modelPath");
        const q = qwen15(() => true);
        server!.routes.delete(q.route);
        assert.equal(await chooseInPicker(q.label), false);
        assert.equal(server!.log.filter((l) => l.path === q.route).length, 1, "asked once: a 404 is not retried");
        assert.equal(existsSync(q.destination), false);
        assert.equal(existsSync(`${q.destination}.part`), false);
        assert.equal(r1().get("modelPath"), previous);
    });
});

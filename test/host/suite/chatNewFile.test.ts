// "Create file" in the chat, in the real extension host: an answer's code block under a path that is no file yet is
// offered as a new file (the webview is told to show "Create file" on it), proposed shown as a diff against an empty file, created only on Apply (not on Discard), and a
// path that climbs out of the workspace is refused without a diff. A test connection stands in for the webview;
// the model is a scripted GGUF (test/fixtures/chatPlusScripts NEW_FILE).
import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as vscode from "vscode";
import type { ChatController } from "../../../src/features/chat/chatController";
import type { CodeActionOutcome } from "../../../src/features/chat/chatCodeActions";
import type { HostToWebview, WebviewToHost } from "../../../src/shared/webviewProtocol";
import { ESCAPING_PATH, NEW_FILE, NEW_FILE_CODE, NEW_FILE_PATH } from "../../fixtures/chatPlusScripts";
import { writeScriptedModel } from "../../fixtures/scriptedModel";
import { extensionId, proposalTabs, selectModelFile, setR1, waitFor } from "./helpers";

describe("Chat: Create file from an answer", function () {
    this.timeout(120_000);
    let chat: ChatController;
    let tmp = "";
    const posted: HostToWebview[] = [];
    let view: { handle(m: WebviewToHost): Promise<unknown>; dispose(): void };
    const folder = () => vscode.workspace.workspaceFolders![0]!.uri;
    const newFile = () => vscode.Uri.joinPath(folder(), ...NEW_FILE_PATH.split("/"));

    before(async function () {
        this.timeout(150_000);
        chat = ((await vscode.extensions.getExtension(extensionId)!.activate()) as { chat: ChatController }).chat;
        tmp = mkdtempSync(join(tmpdir(), "r1-newfile-host-"));
        const model = join(tmp, "new-file.gguf");
        await writeScriptedModel(model, NEW_FILE);
        await setR1("threads", 1);
        await chat.newChat();
        view = chat.connect((m) => posted.push(structuredClone(m)));
        await view.handle({ type: "ready" });
        await selectModelFile(model);
    });

    after(async () => {
        view?.dispose();
        for (const key of ["modelPath", "threads"]) await setR1(key, undefined);
        await chat?.newChat();
        await vscode.commands.executeCommand("workbench.action.closeAllEditors");
        rmSync(join(folder().fsPath, "src", "utils"), { recursive: true, force: true });
        if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    it("a block under a new path: offered as a new file, reviewed against an empty file, created on Apply only; a path out of the workspace is refused", async () => {
        assert.ok(!existsSync(newFile().fsPath), "the file is not there before");
        const from = posted.length;
        await view.handle({ type: "send", text: "Add a price formatter." });
        const finished = posted.slice(from).find((m): m is Extract<HostToWebview, { type: "turnFinished" }> => m.type === "turnFinished");
        assert.ok(finished, "the turn finished");
        const codes = [...finished.result.answer.matchAll(/```(?:typescript|ts)\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
        assert.deepEqual(codes, [NEW_FILE_CODE, "export const evil = true;"], finished.result.answer);
        // Offered: the webview is told which block creates which file (its Apply button then reads "Create file");
        // the block whose path leaves the workspace is not offered.
        const offer = await waitFor(() => posted.slice(from).find((m): m is Extract<HostToWebview, { type: "newFiles" }> => m.type === "newFiles" && m.id === finished.id), 30_000, "the new file is offered");
        assert.deepEqual(offer.files, [{ code: NEW_FILE_CODE, path: NEW_FILE_PATH }]);
        const apply = (blockIndex: number) =>
            view.handle({ type: "codeAction", id: finished.id, action: "apply", blockIndex, lang: "typescript", code: codes[blockIndex]! }) as Promise<CodeActionOutcome>;

        // Apply on the new file's block: a diff of an empty file and the new one; nothing on disk yet. Discard.
        const discarded = apply(0);
        const tab = await waitFor(() => proposalTabs()[0], 30_000, "the new file opens as a diff");
        const input = tab.input as vscode.TabInputTextDiff;
        assert.equal(input.modified.path, newFile().path, "the diff is for src/utils/price.ts");
        assert.match(tab.label, /src\/utils\/price\.ts \(new file\)/, tab.label);
        assert.equal((await vscode.workspace.openTextDocument(input.original)).getText(), "", "the left side is empty");
        assert.equal((await vscode.workspace.openTextDocument(input.modified)).getText(), `${NEW_FILE_CODE}\n`);
        assert.ok(!existsSync(newFile().fsPath), "nothing is created before Apply");
        await vscode.commands.executeCommand("r1.discardProposedFix", input.modified);
        const d = await discarded;
        assert.equal(d.status, "discarded", d.message);
        assert.equal(proposalTabs().length, 0, "the diff is closed");
        assert.ok(!existsSync(newFile().fsPath), "Discard creates nothing");
        assert.ok(!existsSync(dirname(newFile().fsPath)), "not even its folder");

        // Again, and Apply: the file is created with the block's code.
        const created = apply(0);
        const tab2 = await waitFor(() => proposalTabs()[0], 30_000, "the new file opens as a diff again");
        await vscode.commands.executeCommand("r1.applyProposedFix", (tab2.input as vscode.TabInputTextDiff).modified);
        const c = await created;
        assert.equal(c.status, "created", c.message);
        assert.equal(c.message, `Created ${NEW_FILE_PATH}.`);
        assert.equal(readFileSync(newFile().fsPath, "utf8"), `${NEW_FILE_CODE}\n`);
        assert.equal(proposalTabs().length, 0);

        // Now that it exists, Apply on the same block is the usual change of that file (here: the same code, nothing to do).
        const again = await apply(0);
        assert.equal(again.status, "refused");
        assert.match(again.message, /same as the current code/);

        // A path that climbs out of the workspace: refused, no diff, nothing written next to the workspace.
        const escaping = await apply(1);
        assert.equal(escaping.status, "refused");
        assert.equal(escaping.message, `The answer's file "${ESCAPING_PATH}" climbs out of its folder (\`..\`): only paths inside the workspace are created.`);
        assert.equal(proposalTabs().length, 0, "no diff for a refused path");
        assert.ok(!existsSync(join(folder().fsPath, ESCAPING_PATH)), "nothing outside the workspace");
    });
});

// "R1: Manage Models": what is in the models folder (sizes, partial downloads, the active model), and for
// each: use it, resume or cancel its download, or delete it after a confirmation. The active model is
// unloaded (and r1.modelPath cleared) before it is deleted, only when the user agrees to that.
import { basename } from "node:path";
import * as vscode from "vscode";
import { formatBytes } from "../../core/models/byteSize";
import { describeStoredModel, type StoredModelAction, type StoredModelItem } from "../../core/models/storedModelItems";
import type { ModelStore, StoredModel } from "../../platform/modelStore";
import { downloadEntry } from "./downloadModel";
import type { Services } from "../services";
import { useModelFile } from "./useModel";

interface ModelItem extends vscode.QuickPickItem {
    model?: StoredModel;
    view?: StoredModelItem;
    command?: string;
}

const deleteButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon("trash"), tooltip: vscode.l10n.t("Delete") };

const ACTION_LABEL: Record<StoredModelAction, string> = {
    use: "$(play) Use this model",
    resume: "$(cloud-download) Resume the download",
    "cancel-download": "$(debug-stop) Cancel the download (the partial file is kept)",
    delete: "$(trash) Delete…"
};

export function registerManageModels(services: Services): vscode.Disposable {
    return vscode.commands.registerCommand("r1.manageModels", () => manageModels(services));
}

function samePath(a: string | undefined, b: string): boolean {
    return !!a && a.replace(/\\/g, "/") === b.replace(/\\/g, "/");
}

function isActive(services: Services, model: StoredModel): boolean {
    return samePath(services.config.modelPath, model.path) || samePath(services.modelProcess.status?.model?.path, model.path);
}

function isDownloading(services: Services, store: ModelStore, model: StoredModel): boolean {
    return services.models.downloads().some((d) => samePath(store.modelPathFor(d.entry), model.path));
}

async function manageModels(services: Services): Promise<void> {
    for (;;) {
        let store: ModelStore;
        let list: StoredModel[];
        try {
            store = await services.models.store();
            list = await store.list();
        } catch (error) {
            void vscode.window.showErrorMessage(vscode.l10n.t("R1: cannot read the models folder: {0}", error instanceof Error ? error.message : String(error)), vscode.l10n.t("Models Folder Setting")).then((c) => {
                if (c) void vscode.commands.executeCommand("workbench.action.openSettings", "r1.modelsFolder");
            });
            return;
        }
        if (list.length === 0) {
            const choice = await vscode.window.showInformationMessage(vscode.l10n.t("R1: no models downloaded yet (models folder: {0}).", store.root), vscode.l10n.t("Select Model"));
            if (choice) void vscode.commands.executeCommand("r1.selectModel");
            return;
        }
        const picked = await pickModel(services, store, list);
        if (!picked) return;
        const { model, view, deleteNow } = picked;
        const action = deleteNow ? "delete" : await pickAction(model, view);
        if (!action) continue;
        switch (action) {
            case "use":
                await useModelFile(services, model.path);
                return;
            case "resume":
                if (model.entry) void downloadEntry(services, model.entry);
                return;
            case "cancel-download":
                if (model.entry) services.models.download(model.entry.id)?.controller.abort();
                await new Promise((r) => setTimeout(r, 200));
                continue;
            case "delete":
                await deleteModel(services, store, model, view);
                continue;
        }
    }
}

async function pickModel(services: Services, store: ModelStore, list: StoredModel[]): Promise<{ model: StoredModel; view: StoredModelItem; deleteNow: boolean } | undefined> {
    const items: ModelItem[] = list.map((model) => {
        const view = describeStoredModel(model, { active: isActive(services, model), downloading: isDownloading(services, store, model) });
        return { label: view.label, description: view.description, detail: view.detail, model, view, buttons: [deleteButton] };
    });
    const total = list.reduce((a, m) => a + m.sizeBytes + m.partialBytes, 0);
    items.push(
        { label: "", kind: vscode.QuickPickItemKind.Separator },
        { label: vscode.l10n.t("$(add) Download or select another model…"), command: "r1.selectModel" },
        { label: vscode.l10n.t("$(settings-gear) Change the models folder…"), detail: "r1.modelsFolder", command: "r1.openModelsFolderSetting" }
    );
    const qp = vscode.window.createQuickPick<ModelItem>();
    qp.title = vscode.l10n.t("R1: Manage Models");
    qp.placeholder = vscode.l10n.t("{0} in {1}: choose a model to use, resume or delete it", formatBytes(total), store.root);
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.items = items;
    const result = await new Promise<{ item: ModelItem; deleteNow: boolean } | undefined>((resolve) => {
        qp.onDidAccept(() => {
            const item = qp.selectedItems[0];
            if (item) resolve({ item, deleteNow: false });
            qp.hide();
        });
        qp.onDidTriggerItemButton((e) => {
            resolve({ item: e.item, deleteNow: true });
            qp.hide();
        });
        qp.onDidHide(() => resolve(undefined));
        qp.show();
    });
    qp.dispose();
    if (!result) return undefined;
    if (result.item.command === "r1.openModelsFolderSetting") {
        void vscode.commands.executeCommand("workbench.action.openSettings", "r1.modelsFolder");
        return undefined;
    }
    if (result.item.command) {
        void vscode.commands.executeCommand(result.item.command);
        return undefined;
    }
    if (!result.item.model || !result.item.view) return undefined;
    return { model: result.item.model, view: result.item.view, deleteNow: result.deleteNow };
}

async function pickAction(model: StoredModel, view: StoredModelItem): Promise<StoredModelAction | undefined> {
    const picked = await vscode.window.showQuickPick(
        view.actions.map((a) => ({ label: a === "delete" ? `${ACTION_LABEL[a]} (frees ${formatBytes(view.diskBytes)})` : ACTION_LABEL[a], action: a })),
        { title: vscode.l10n.t("R1: {0}", basename(model.path)), placeHolder: view.description }
    );
    return picked?.action;
}

async function deleteModel(services: Services, store: ModelStore, model: StoredModel, view: StoredModelItem): Promise<void> {
    const name = basename(model.path);
    if (view.deleteNeeds === "cancel-download") {
        void vscode.window.showWarningMessage(vscode.l10n.t("R1: {0} is being downloaded. Cancel the download first (in its notification, or here with \"Cancel the download\"), then delete it.", name));
        return;
    }
    const size = formatBytes(view.diskBytes);
    if (view.deleteNeeds === "unload") {
        const answer = await vscode.window.showWarningMessage(
            vscode.l10n.t("{0} is the active model: it must be unloaded before it can be deleted. Unload it, clear r1.modelPath and delete {1}? Choose another model afterwards with \"R1: Select Model\".", name, size),
            { modal: true }, vscode.l10n.t("Unload and Delete")
        );
        if (answer !== vscode.l10n.t("Unload and Delete")) return;
        try {
            await services.modelProcess.unloadModel();
        } catch (error) {
            void vscode.window.showErrorMessage(vscode.l10n.t("R1: {0} could not be unloaded ({1}), so it was not deleted.", name, error instanceof Error ? error.message : String(error)));
            return;
        }
        if (samePath(services.config.modelPath, model.path)) await services.config.setModelPath("");
    } else {
        const answer = await vscode.window.showWarningMessage(vscode.l10n.t("Delete {0} ({1}) from {2}?", name, size, store.root), { modal: true, detail: vscode.l10n.t("Downloading it again takes as long as the first time.") }, vscode.l10n.t("Delete"));
        if (answer !== vscode.l10n.t("Delete")) return;
    }
    try {
        const removed = await store.delete(model);
        services.log.info(`Deleted ${model.path} (${size}): ${removed.length} file(s).`);
        void vscode.window.setStatusBarMessage(`R1: deleted ${name}, ${size} freed`, 5000);
    } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        services.log.error(`Deleting ${model.path} failed: ${message}`);
        void vscode.window.showErrorMessage(vscode.l10n.t("R1: {0} could not be deleted: {1}", name, message));
    }
}

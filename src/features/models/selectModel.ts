// "R1: Select Model": a quick pick of the downloaded models, the saved remote engines (switch to one, or remove it
// with its button), then the catalog grouped by model (size, memory needed at r1.contextSize, fit on this
// machine, benchmark figures), the recommended entry marked and preselected, "Use a remote engine…" and "Use a
// GGUF file on disk…". A catalog entry not on disk is downloaded, then used; a local file is checked before the
// model process loads it; the 671B rows lead to the remote-engine flow with their model filled in. The items come
// from src/core/models/modelPicker.ts.
import { stat } from "node:fs/promises";
import { arch, freemem, platform, totalmem } from "node:os";
import * as vscode from "vscode";
import { formatBytes } from "../../core/models/byteSize";
import type { CatalogEntry } from "../../core/models/modelCatalog";
import { buildModelPicker, entryLabel, judgeEntry, loadedModelVramBytes, machineFromOs, machineFromReport, machineSummary, type PickerAction, type PickerModel } from "../../core/models/modelPicker";
import type { MachineInfo } from "../../core/models/modelRecommendation";
import { addRemoteEngine } from "../engines/addRemoteEngine";
import type { MachineReport } from "../../shared/lspProtocol";
import { downloadAndUse } from "./downloadModel";
import type { Services } from "../services";
import { useModelFile } from "./useModel";

/** How long the picker waits for the model process to measure the GPU before using the OS's figures. */
const MACHINE_TIMEOUT_MS = 20_000;

interface Item extends vscode.QuickPickItem {
    action?: PickerAction;
}

export function registerSelectModel(services: Services): vscode.Disposable {
    return vscode.commands.registerCommand("r1.selectModel", async (path?: unknown) => {
        if (typeof path === "string" && path) return useModelFile(services, path);
        return showModelPicker(services);
    });
}

export interface MeasuredMachine {
    machine: MachineInfo;
    report?: MachineReport;
    summary: string;
}

/** This machine as llama.cpp sees it in the model process; the OS's RAM figures if that fails. */
export async function measureMachine(services: Services): Promise<MeasuredMachine> {
    const { modelProcess, log } = services;
    try {
        let timer: NodeJS.Timeout | undefined;
        const report = await Promise.race([
            modelProcess.machineInfo(),
            new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${MACHINE_TIMEOUT_MS / 1000} s`)), MACHINE_TIMEOUT_MS)))
        ]).finally(() => clearTimeout(timer));
        if (report.error) log.warn(`llama.cpp could not measure the GPU (${report.error}); using the OS's memory figures.`);
        const status = modelProcess.status;
        const loaded = status?.model && status.engine
            ? { sizeBytes: status.model.sizeBytes, gpuLayers: status.engine.gpuLayers, totalLayers: status.engine.totalLayers, backend: status.engine.backend }
            : undefined;
        const machine = machineFromReport(report, loadedModelVramBytes(loaded));
        return { machine, report, summary: machineSummary(report, machine) };
    } catch (error) {
        const failure = error instanceof Error ? error.message : String(error);
        log.warn(`Measuring the machine in the model process failed (${failure}); using the OS's memory figures.`);
    }
    const machine = machineFromOs({ totalmem: totalmem(), freemem: freemem(), platform: platform(), arch: arch() });
    return { machine, summary: machineSummary(undefined, machine) };
}

export interface PickerData {
    model: PickerModel;
    measured: MeasuredMachine;
    entries: CatalogEntry[];
}

/** Everything the picker shows, gathered from the catalog, the machine and the models folder. */
export async function gatherPickerData(services: Services): Promise<PickerData> {
    const { models, config } = services;
    const [entries, measured] = await Promise.all([models.entries(), measureMachine(services)]);
    let stored: Awaited<ReturnType<Awaited<ReturnType<typeof models.store>>["list"]>> = [];
    try {
        stored = await (await models.store()).list();
    } catch (error) {
        services.log.warn(`Cannot list the models folder: ${error instanceof Error ? error.message : String(error)}`);
    }
    const active = config.modelPath;
    let activeSize: number | null | undefined;
    if (active && !stored.some((s) => s.path === active)) activeSize = await stat(active).then((s) => s.size, () => null);
    const model = buildModelPicker({
        entries,
        machine: measured.machine,
        machineSummary: measured.summary,
        stored,
        activeModelPath: active,
        activeModelSizeBytes: activeSize,
        downloading: models.downloads().map((d) => d.entry.id),
        contextSize: config.engine().contextSize,
        endpoints: services.engines.endpoints(),
        activeEngine: services.engines.activeEngine
    });
    return { model, measured, entries };
}

const removeButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon("trash"), tooltip: vscode.l10n.t("Remove this remote engine (and its API key)") };

function toQuickPickItems(model: PickerModel): Item[] {
    return model.items.map((i) =>
        i.kind === "separator"
            ? { label: i.label, kind: vscode.QuickPickItemKind.Separator }
            : { label: i.label, description: i.description, detail: i.detail, action: i.action, ...(i.action?.kind === "use-remote" ? { buttons: [removeButton] } : {}) });
}

/** Removes a saved endpoint from the store and from the open picker (its group too when it was the last). */
async function removeEndpoint(services: Services, qp: vscode.QuickPick<Item>, item: Item): Promise<void> {
    if (item.action?.kind !== "use-remote") return;
    const id = item.action.endpointId;
    const label = item.label.replace(/^\$\(cloud\) /, "");
    await services.engines.remove(id);
    services.log.info(`Removed the remote engine ${label} and its API key.`);
    let items = qp.items.filter((i) => i !== item);
    if (!items.some((i) => i.action?.kind === "use-remote")) items = items.filter((i) => i.label !== "Remote engines" || i.kind !== vscode.QuickPickItemKind.Separator);
    qp.items = items;
}

const browseItem: Item = { label: vscode.l10n.t("$(folder-opened) Use a GGUF file on disk…"), action: { kind: "browse" } };

/** Shows the picker at once (busy while the machine is measured) and acts on the choice. */
async function showModelPicker(services: Services): Promise<boolean | undefined> {
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = vscode.l10n.t("R1: Select Model");
    qp.placeholder = vscode.l10n.t("Measuring this machine and reading the catalog…");
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.busy = true;
    qp.items = [browseItem];
    let data: PickerData | undefined;

    const chosen = new Promise<PickerAction | undefined>((resolve) => {
        qp.onDidAccept(() => {
            const action = qp.selectedItems[0]?.action ?? qp.activeItems[0]?.action;
            if (!action) return;
            resolve(action);
            qp.hide();
        });
        qp.onDidTriggerItemButton((e) => void removeEndpoint(services, qp, e.item));
        qp.onDidHide(() => resolve(undefined));
    });
    qp.show();

    void (async () => {
        try {
            data = await gatherPickerData(services);
            const model = data.model;
            qp.title = model.title;
            qp.placeholder = model.placeholder;
            const items = toQuickPickItems(model);
            qp.items = items;
            if (model.recommendedIndex >= 0) qp.activeItems = [items[model.recommendedIndex]];
            services.log.info(`Model picker: ${data.measured.summary}. ${model.recommendation.reason}`);
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            services.log.error(`The model picker could not read the catalog: ${message}`);
            qp.placeholder = vscode.l10n.t("The model catalog could not be read ({0}). You can still use a GGUF file on disk.", message.split("\n")[0]);
        } finally {
            qp.busy = false;
        }
    })();

    const action = await chosen;
    qp.dispose();
    if (!action) return undefined;
    switch (action.kind) {
        case "use-file":
            return useModelFile(services, action.path);
        case "browse": {
            const path = await pickGgufFile(services.config.modelPath);
            return path ? useModelFile(services, path) : undefined;
        }
        case "manage":
            await vscode.commands.executeCommand("r1.manageModels");
            return undefined;
        case "downloading":
            void vscode.window.showInformationMessage(vscode.l10n.t("R1: this model is already downloading (see its notification)."));
            return undefined;
        case "download": {
            const entry = data?.entries.find((e) => e.id === action.entryId);
            if (!entry || !data) return undefined;
            if (!(await confirmDownload(services, entry, data))) return undefined;
            return downloadAndUse(services, entry);
        }
        case "serving-engine":
            return addRemoteEngine(services, action.model);
        case "add-remote":
            return addRemoteEngine(services);
        case "use-remote": {
            const endpoint = services.engines.endpoints().find((e) => e.id === action.endpointId);
            if (!endpoint) return false;
            await services.engines.setActive(endpoint.id);
            services.log.info(`The remote engine ${endpoint.label} (${endpoint.baseUrl}) is now the engine.`);
            void vscode.window.setStatusBarMessage(`R1: ${endpoint.label} answers from now on`, 5000);
            return true;
        }
    }
}

/** Asks before downloading a model that will not fit this machine. */
async function confirmDownload(services: Services, entry: CatalogEntry, { model, measured }: PickerData): Promise<boolean> {
    const evaluation = model.recommendation.evaluations.find((e) => e.entry.id === entry.id);
    const fit = judgeEntry(entry, measured.machine, services.config.engine().contextSize, evaluation);
    if (fit.fit !== "too-big") return true;
    const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t("{0} needs about {1} ({2}), more than this machine has free ({3}). ", entryLabel(entry), formatBytes(fit.needBytes), fit.explanation, measured.summary) +
        vscode.l10n.t("It would fail to load or run very slowly. Download {0} anyway?", formatBytes(entry.quantization.sizeBytes)),
        { modal: true }, vscode.l10n.t("Download Anyway")
    );
    return answer === vscode.l10n.t("Download Anyway");
}

async function pickGgufFile(current: string): Promise<string | undefined> {
    const picked = await vscode.window.showOpenDialog({
        title: vscode.l10n.t("R1: Select a GGUF model file"),
        openLabel: "Use Model",
        canSelectMany: false,
        defaultUri: current ? vscode.Uri.file(current) : undefined,
        filters: { "GGUF models": ["gguf"], "All files": ["*"] }
    });
    return picked?.[0]?.fsPath;
}

// What R1 lists in VS Code's model picker and vscode.lm.selectChatModels: the local model selected in r1.modelPath
// (with the context the model process really loaded it with, when loaded), the catalog models downloaded into the
// models folder, and each saved remote engine. Listing never starts the model process (VS Code asks at startup).
import type * as vscode from "vscode";
import { matchServedModel, servedModelName } from "../../core/engines/remoteModelMatch";
import { lmModelEntries, type LmTarget, type LocalModelFacts, type RemoteModelFacts } from "../../core/lm/lmModels";
import type { CatalogModel } from "../../core/models/modelCatalog";
import { modelDisplayName } from "../chat/chatModel";
import type { Services } from "../services";

/** A model as VS Code sees it, with where its requests go. */
export interface R1ChatInformation extends vscode.LanguageModelChatInformation {
    readonly target: LmTarget;
}

export async function listLmModels(services: Services): Promise<R1ChatInformation[]> {
    const { config, modelProcess, models, engines, log } = services;
    const loaded = modelProcess.status?.model ? { model: modelProcess.status.model, contextSize: modelProcess.status.engine?.contextSize } : undefined;
    const selected = config.modelPath;
    const local: LocalModelFacts[] = [];
    if (selected) {
        const isLoaded = loaded?.model.path === selected;
        local.push({
            path: selected,
            name: modelDisplayName(selected, isLoaded ? loaded.model.name : undefined),
            selected: true,
            ...(isLoaded && loaded.contextSize !== undefined ? { loadedContextSize: loaded.contextSize } : {})
        });
    }
    if (loaded && loaded.model.path !== selected) {
        local.push({ path: loaded.model.path, name: loaded.model.name, selected: false, ...(loaded.contextSize !== undefined ? { loadedContextSize: loaded.contextSize } : {}) });
    }
    let catalogModels: CatalogModel[] = [];
    try {
        catalogModels = (await models.catalog()).models;
        for (const stored of await (await models.store()).list()) {
            if (!stored.complete || !stored.entry) continue;
            const e = stored.entry;
            const catalog = { modelId: e.model.id, modelName: e.model.name, quant: e.quantization.quant, contextLength: e.model.contextLength };
            const listed = local.find((m) => m.path === stored.path);
            if (listed) listed.catalog = catalog;
            else local.push({ path: stored.path, name: modelDisplayName(stored.path), selected: false, catalog });
        }
    } catch (error) {
        log.warn(`Listing the downloaded models for VS Code's model picker failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const active = engines.active()?.id;
    const remote: RemoteModelFacts[] = engines.endpoints().map((endpoint) => {
        const known = catalogModels.find((m) => m.requiresServingEngine && matchServedModel([endpoint.model], servedModelName(m)));
        return {
            endpointId: endpoint.id, label: endpoint.label, model: endpoint.model, active: endpoint.id === active,
            ...(known ? { catalogContextLength: known.contextLength } : {})
        };
    });
    return lmModelEntries({ local, remote, contextSize: config.engine().contextSize, maxTokens: config.sampling("chat").maxTokens })
        .map((entry) => ({ ...entry, capabilities: { toolCalling: false, imageInput: false } }));
}

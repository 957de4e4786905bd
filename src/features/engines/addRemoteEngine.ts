// "Use a remote engine…" (in R1: Select Model, and the command R1: Use a Remote Engine): the base URL of an
// OpenAI-compatible server, then its models as the model process lists them (GET /models; the catalog's R1 or
// R1-Zero preselected when the flow came from its row; typed by hand when the server has no such route), then an
// optional API key (asked first when the server refuses to list without one). The endpoint is saved, its key goes
// to SecretStorage, and it becomes the active engine. Nothing here logs or shows the key.
import * as vscode from "vscode";
import { ResponseError } from "vscode-languageclient/node";
import { engineLabel, normalizeBaseUrl } from "../../core/engines/remoteEndpoint";
import { matchServedModel, suggestedModelName } from "../../core/engines/remoteModelMatch";
import { ErrorCodes, type ListRemoteModelsResult } from "../../shared/lspProtocol";
import type { Services } from "../services";
import { remoteEngineSpec } from "./requestEngine";

const TITLE = vscode.l10n.t("R1: Use a Remote Engine");

/** What the command accepts to save an endpoint without asking (scripts, tests): the key is optional. */
export interface RemoteEngineArgs {
    baseUrl: string;
    model: string;
    apiKey?: string;
}

export function registerUseRemoteEngine(services: Services): vscode.Disposable {
    return vscode.commands.registerCommand("r1.useRemoteEngine", async (args?: unknown) => {
        if (isRemoteEngineArgs(args)) return saveRemoteEngine(services, args);
        return addRemoteEngine(services, typeof args === "string" ? args : undefined);
    });
}

function isRemoteEngineArgs(v: unknown): v is RemoteEngineArgs {
    if (typeof v !== "object" || v === null) return false;
    const a = v as Record<string, unknown>;
    return typeof a.baseUrl === "string" && typeof a.model === "string" && (a.apiKey === undefined || typeof a.apiKey === "string");
}

/** Saves and activates an endpoint given in full. False when the URL is not usable. */
export async function saveRemoteEngine(services: Services, args: RemoteEngineArgs): Promise<boolean> {
    const url = normalizeBaseUrl(args.baseUrl);
    if (!url.ok || !args.model.trim()) {
        void vscode.window.showErrorMessage(vscode.l10n.t("R1: {0}", url.ok ? "The model name is empty." : url.error));
        return false;
    }
    const saved = await services.engines.save({ baseUrl: url.url, model: args.model.trim() }, args.apiKey?.trim() || undefined);
    services.log.info(`Remote engine ${saved.label} (${saved.baseUrl}) is now the engine${args.apiKey ? "; its API key is in VS Code's secret storage" : ""}.`);
    return true;
}

/**
 * The interactive flow. `wanted` is the catalog model's served name ("deepseek-ai/DeepSeek-R1") when the flow
 * came from its row. True when an endpoint was saved and made active.
 */
export async function addRemoteEngine(services: Services, wanted?: string): Promise<boolean> {
    let apiKey: string | undefined;
    let keyAsked = false;
    let listed: ListRemoteModelsResult | undefined;
    let value = services.engines.active()?.baseUrl ?? "";
    let message: string | undefined;
    let url = "";
    for (;;) {
        let authProblem: string | undefined;
        const entered = await ask({
            step: 1,
            prompt: `Base URL of an OpenAI-compatible server${wanted ? ` serving ${wanted}` : ""} (vLLM, SGLang, llama.cpp server, Ollama, LM Studio, the DeepSeek API)`,
            placeholder: "http://127.0.0.1:8000/v1 · http://127.0.0.1:11434/v1 (Ollama) · https://api.deepseek.com",
            value,
            message,
            validate: (v) => {
                const r = normalizeBaseUrl(v);
                if (!r.ok) return r.error;
                return r.insecure ? { message: `${r.url}: plain http, so code and key travel unencrypted.`, severity: vscode.InputBoxValidationSeverity.Warning } : undefined;
            },
            // Enter lists the models; the box stays open with the reason when that fails (a key is asked next).
            accept: async (v) => {
                const r = normalizeBaseUrl(v);
                if (!r.ok) return r.error;
                url = r.url;
                const outcome = await listModels(services, url, apiKey);
                if (outcome.kind === "listed") listed = outcome.listed;
                else if (outcome.kind === "auth" && !keyAsked) authProblem = outcome.message;
                else return outcome.message;
                return undefined;
            }
        });
        if (entered === undefined) return false;
        if (listed) break;
        // The server wants a key before it lists its models.
        keyAsked = true;
        apiKey = await askApiKey(url, `${authProblem ?? ""} Enter the API key for ${url}.`.trim());
        if (apiKey === undefined) return false;
        const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t("R1: listing the models of {0}…", url) }, () => listModels(services, url, apiKey));
        if (outcome.kind === "listed") {
            listed = outcome.listed;
            break;
        }
        value = entered;
        message = outcome.message;
        keyAsked = outcome.kind !== "auth";
    }
    const model = listed.models.length > 0 ? await pickModel(listed.models, wanted) : await typeModel(url, wanted, listed.routeMissing === true);
    if (!model) return false;
    if (!keyAsked) {
        apiKey = await askApiKey(url, "API key, if the server needs one (leave empty for none). It is kept in VS Code's secret storage.");
        if (apiKey === undefined) return false;
    }
    const saved = await services.engines.save({ baseUrl: url, model }, apiKey || undefined);
    services.log.info(`Remote engine ${saved.label} (${saved.baseUrl}) saved and made the engine${apiKey ? "; its API key is in VS Code's secret storage" : ""}.`);
    void vscode.window.showInformationMessage(vscode.l10n.t("R1 now answers with {0}. Code is sent there only after you allow it once.", engineLabel(saved)));
    return true;
}

type ListOutcome =
    | { kind: "listed"; listed: ListRemoteModelsResult }
    /** 401/403: a key is missing or wrong. */
    | { kind: "auth"; message: string }
    | { kind: "failed"; message: string };

/** GET /models through the model process; a server without that route gives an empty list to type into. */
async function listModels(services: Services, baseUrl: string, apiKey: string | undefined): Promise<ListOutcome> {
    try {
        const spec = await remoteEngineSpec(services, { baseUrl, model: "" }, apiKey);
        return { kind: "listed", listed: await services.modelProcess.listRemoteModels({ engine: withoutModel(spec) }) };
    } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof ResponseError && error.code === ErrorCodes.remoteAuth) return { kind: "auth", message };
        if (error instanceof ResponseError && error.code === ErrorCodes.remoteNotFound) return { kind: "listed", listed: { models: [], routeMissing: true } };
        services.log.warn(`Listing the models of ${baseUrl} failed: ${message}`);
        return { kind: "failed", message };
    }
}

function withoutModel<T extends { model: string }>(spec: T): Omit<T, "model"> {
    const { model: _model, ...rest } = spec;
    return rest;
}

interface Item extends vscode.QuickPickItem {
    model?: string;
}

/** The server's models; the catalog's model preselected when it is among them; "Type a model name…" last. */
async function pickModel(models: string[], wanted: string | undefined): Promise<string | undefined> {
    const match = wanted ? matchServedModel(models, wanted) : undefined;
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = `${TITLE} (2/3)`;
    qp.placeholder = wanted && !match ? `The server does not list ${wanted}: pick the model to use` : "The model to use";
    const items: Item[] = models.map((m) => ({ label: m, model: m, description: m === match ? "the catalog's model" : undefined }));
    items.push({ label: vscode.l10n.t("$(edit) Type a model name…") });
    qp.items = items;
    const pre = match === undefined ? undefined : items.find((i) => i.model === match);
    if (pre) qp.activeItems = [pre];
    const chosen = await new Promise<Item | undefined>((resolve) => {
        qp.onDidAccept(() => resolve(qp.selectedItems[0] ?? qp.activeItems[0]));
        qp.onDidHide(() => resolve(undefined));
        qp.show();
    });
    qp.dispose();
    if (!chosen) return undefined;
    return chosen.model ?? ask({ step: 2, prompt: vscode.l10n.t("The model name as the server knows it"), value: wanted ?? "", validate: nonEmpty });
}

async function typeModel(baseUrl: string, wanted: string | undefined, routeMissing: boolean): Promise<string | undefined> {
    return ask({
        step: 2,
        prompt: routeMissing ? "This server does not list its models (no /models route): type the model name it serves" : "The server listed no models: type the model name it serves",
        value: suggestedModelName(baseUrl, wanted),
        validate: nonEmpty
    });
}

function nonEmpty(v: string): string | undefined {
    return v.trim() ? undefined : "Enter a model name.";
}

async function askApiKey(baseUrl: string, prompt: string): Promise<string | undefined> {
    const value = await ask({ step: 3, prompt, placeholder: vscode.l10n.t("API key for {0}", baseUrl), password: true });
    return value?.trim();
}

interface AskOptions {
    step: number;
    prompt: string;
    placeholder?: string;
    value?: string;
    /** Shown at once (the reason the previous try failed). */
    message?: string;
    password?: boolean;
    validate?: (value: string) => string | vscode.InputBoxValidationMessage | undefined;
    /** Runs on Enter while the box shows busy; a returned message keeps the box open with it. */
    accept?: (value: string) => Promise<string | undefined>;
}

/** One input box of the flow: the trimmed value, or undefined when the user pressed Escape. */
async function ask(options: AskOptions): Promise<string | undefined> {
    const box = vscode.window.createInputBox();
    box.title = `${TITLE} (${options.step}/3)`;
    box.prompt = options.prompt;
    box.placeholder = options.placeholder;
    box.value = options.value ?? "";
    box.password = options.password ?? false;
    box.validationMessage = options.message;
    box.ignoreFocusOut = true;
    const result = await new Promise<string | undefined>((resolve) => {
        box.onDidChangeValue((v) => (box.validationMessage = v ? options.validate?.(v) : undefined));
        box.onDidAccept(async () => {
            const value = box.value.trim();
            const invalid = options.validate?.(value);
            if (typeof invalid === "string") {
                box.validationMessage = invalid;
                return;
            }
            if (options.accept) {
                box.busy = true;
                box.enabled = false;
                const problem = await options.accept(value);
                box.busy = false;
                box.enabled = true;
                if (problem) {
                    box.validationMessage = problem;
                    return;
                }
            }
            resolve(value);
            box.hide();
        });
        box.onDidHide(() => resolve(undefined));
        box.show();
    });
    box.dispose();
    return result;
}

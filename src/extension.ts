// R1 Reasoner: activate() wires the features to the model process; deactivate() stops the process.
import * as vscode from "vscode";
import { Config } from "./client/config";
import { Log } from "./client/log";
import { ModelLibrary } from "./client/modelLibrary";
import { ModelProcess } from "./client/modelProcess";
import { StatusBar } from "./client/statusBar";
import type { ChatController } from "./features/chat/chatController";
import { registerChatView } from "./features/chat/chatView";
import { registerUseRemoteEngine } from "./features/engines/addRemoteEngine";
import { EngineStore } from "./features/engines/engineStore";
import { registerEngineStatus } from "./features/engines/engineStatus";
import { registerCodeActions } from "./features/fix/codeActions";
import { registerCudaSupport } from "./features/cuda/cudaSupport";
import { registerLanguageModel, type R1LanguageModelProvider } from "./features/languageModel/r1LanguageModelProvider";
import { registerParticipant, type R1Participant } from "./features/participant/r1Participant";
import { registerSettingsWarnings } from "./features/settingsWarnings";
import { registerGettingStarted } from "./features/models/gettingStarted";
import { registerHuggingFaceToken } from "./features/models/huggingFaceToken";
import { registerManageModels } from "./features/models/manageModels";
import { registerModelProcessCommands } from "./features/modelProcessCommands";
import { registerSelectModel } from "./features/models/selectModel";
import { ProposalReview } from "./features/review/proposalReview";
import { ReasoningDisplay } from "./features/reasoning/reasoningDisplay";
import type { Services } from "./features/services";

let modelProcess: ModelProcess | undefined;

export interface R1ExtensionApi {
    /** For tests and other extensions: the supervised model process. */
    readonly modelProcess: ModelProcess;
    /** For tests: where fixes and Explain Code show their thought and answer. */
    readonly display: ReasoningDisplay;
    /** For tests: the chat (its conversation, and a connection that stands in for a webview). */
    readonly chat: ChatController | undefined;
    /** For tests: what the status bar shows. */
    readonly statusBar: StatusBar;
    /** For tests: the saved remote engines and the active engine. */
    readonly engines: EngineStore;
    /** For tests: the "R1 Reasoner" output channel's logger. */
    readonly log: Log;
    /** For tests: R1 as a vscode.lm language model provider (its last response's record). */
    readonly languageModels: R1LanguageModelProvider | undefined;
    /** For tests: the @r1 chat participant (its request handler, the buttons' actions). */
    readonly participant: R1Participant | undefined;
}

export function activate(context: vscode.ExtensionContext): R1ExtensionApi {
    const log = new Log();
    const config = new Config();
    modelProcess = new ModelProcess(context.asAbsolutePath("dist/server.js"), log, () => config.engine());
    const statusBar = new StatusBar();
    const models = new ModelLibrary(context, config);
    const display = new ReasoningDisplay();
    const proposals = new ProposalReview();
    const engines = new EngineStore(context.globalState, context.secrets);
    const services: Services = { context, log, config, modelProcess, models, engines, display, proposals };
    context.subscriptions.push(log, modelProcess, statusBar, models, engines, display, proposals);
    let chat: ChatController | undefined;
    let languageModels: R1LanguageModelProvider | undefined;
    let participant: R1Participant | undefined;

    const features: Array<[string, (s: Services) => vscode.Disposable]> = [
        ["model process commands", registerModelProcessCommands],
        ["select model", registerSelectModel],
        ["remote engines", registerUseRemoteEngine],
        ["engine status", (s) => registerEngineStatus(s, statusBar)],
        ["manage models", registerManageModels],
        ["hugging face token", registerHuggingFaceToken],
        ["getting started", registerGettingStarted],
        ["chat", (s) => {
            const registration = registerChatView(s);
            chat = registration.controller;
            return registration;
        }],
        ["code actions", registerCodeActions],
        ["cuda support", registerCudaSupport],
        ["language model provider", (s) => {
            const registration = registerLanguageModel(s);
            languageModels = registration.provider;
            return registration;
        }],
        ["chat participant", (s) => {
            const registration = registerParticipant(s);
            participant = registration.participant;
            return registration;
        }],
        ["settings warnings", registerSettingsWarnings]
    ];
    for (const [name, register] of features) {
        try {
            context.subscriptions.push(register(services));
        } catch (error) {
            log.error(`Feature "${name}" failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
    }

    const mp = modelProcess;
    // The process starts on the first request (a chat message, a fix, Select Model's machine report...), not
    // here: the extension activates on every code file, and most of those sessions never ask R1 anything. The
    // status bar (engineStatus) says "idle" until then.
    context.subscriptions.push(
        vscode.workspace.onDidChangeConfiguration((e) => {
            applyEngineSettings(e, mp).catch((error: unknown) => {
                const reason = error instanceof Error ? error.message : String(error);
                log.error(`The changed settings could not be applied to the model process: ${reason}`);
                void vscode.window.showWarningMessage(vscode.l10n.t("R1: the changed settings could not be applied to the model process ({0}).", reason), vscode.l10n.t("Show Logs")).then((choice) => {
                    if (choice) log.show();
                });
            });
        })
    );
    log.info(`R1 Reasoner ${context.extension.packageJSON.version as string} activated.`);
    return { modelProcess: mp, display, statusBar, engines, log, get chat() { return chat; }, get languageModels() { return languageModels; }, get participant() { return participant; } };
}

/** A GPU change needs a new process (one Llama per process); other engine settings go to the running one. */
async function applyEngineSettings(e: vscode.ConfigurationChangeEvent, mp: ModelProcess): Promise<void> {
    if (Config.needsRestart(e) && mp.running) await mp.restart();
    else if (Config.affectsEngine(e)) await mp.configure();
}

export async function deactivate(): Promise<void> {
    await modelProcess?.stop();
    modelProcess = undefined;
}

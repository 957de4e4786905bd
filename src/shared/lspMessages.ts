// The r1/* messages between the extension (LSP client) and the model process (LSP server), declared as typed
// vscode-jsonrpc message types: one constant per request, notification and progress, so that both ends get
// the params and result types from the declaration, never from a cast.
//
// The data types are in lspProtocol.ts (pure types, also read by the webview). This file creates
// vscode-jsonrpc objects, so only the Node sides import it: src/client, src/server and src/platform (and the
// scripts, benches and tests through them). The lint rules keep it out of src/core and src/webview.
//
// Each comment gives the direction: client → server (request) or server → client (notification, progress).
// To add a message: declare its params and result in lspProtocol.ts, then its constant here.
import { NotificationType, ProgressType, RequestType, RequestType0, type ProgressToken } from "vscode-jsonrpc";
import type {
    CheckModelFileParams,
    CheckModelFileResult,
    CountTokensParams,
    CountTokensResult,
    EngineSettings,
    ListRemoteModelsParams,
    ListRemoteModelsResult,
    LoadModelParams,
    LoadModelResult,
    MachineReport,
    ReasonParams,
    ReasonProgress,
    ReasonResult,
    ServerStatus
} from "./lspProtocol";

/** What r1/reason carries on the wire: the request plus the token its `$/progress` messages are sent for. */
export interface ReasonRequestParams extends ReasonParams {
    partialResultToken?: ProgressToken;
}

// ---- requests: client → server ------------------------------------------------------------------

/** client → server: the process's state, loaded model, memory and pending requests. */
export const statusRequest = new RequestType0<ServerStatus, void>("r1/status");

/** client → server: applies engine settings (reloads the model if they need it); answers the new status. */
export const configureRequest = new RequestType<EngineSettings, ServerStatus, void>("r1/configure");

/** client → server: checks a GGUF file (loads nothing); a file that cannot be used is a result, not an error. */
export const checkModelFileRequest = new RequestType<CheckModelFileParams, CheckModelFileResult, void>("r1/checkModelFile");

/** client → server: loads a GGUF in place of the current model (the file is checked first). */
export const loadModelRequest = new RequestType<LoadModelParams, LoadModelResult, void>("r1/loadModel");

/** client → server: unloads the model and frees its memory; answers the new status. */
export const unloadModelRequest = new RequestType0<ServerStatus, void>("r1/unloadModel");

/** client → server: GPU, VRAM and RAM as llama.cpp sees them (for the model picker). */
export const machineInfoRequest = new RequestType0<MachineReport, void>("r1/machineInfo");

/**
 * client → server: one reasoning request. With a `partialResultToken`, the server streams `reasonProgress`
 * for that token while it works; `$/cancelRequest` stops it and the partial reply is the result.
 */
export const reasonRequest = new RequestType<ReasonRequestParams, ReasonResult, void>("r1/reason");

/** client → server: the models an OpenAI-compatible engine serves (GET {baseUrl}/models, asked by the model process). */
export const listRemoteModelsRequest = new RequestType<ListRemoteModelsParams, ListRemoteModelsResult, void>("r1/listRemoteModels");

/** client → server: the tokens of a text by the model's own tokenizer (loads only its vocabulary when it is not loaded). */
export const countTokensRequest = new RequestType<CountTokensParams, CountTokensResult, void>("r1/countTokens");

// ---- server → client ----------------------------------------------------------------------------

/** server → client progress (`$/progress` for an r1/reason partialResultToken): batched deltas. */
export const reasonProgress = new ProgressType<ReasonProgress>();

/** server → client notification: the state changed (loading, ready, error, ...). */
export const statusChangedNotification = new NotificationType<ServerStatus>("r1/statusChanged");

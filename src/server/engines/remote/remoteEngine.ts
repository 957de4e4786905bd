// The remote engine: r1/reason requests that name an OpenAI-compatible server (ReasonParams.engine) and
// r1/listRemoteModels. Nothing here waits for the local model's queue or loads a model; each request is its own
// HTTP stream. The API key is registered with the redactor before anything can log.
import { ErrorCodes, type ListRemoteModelsParams, type ListRemoteModelsResult, type ReasonResult } from "../../../shared/lspProtocol";
import type { SecretRedactor } from "../../secretRedactor";
import type { EngineRequest, ReasoningEngine } from "../engine";
import { listRemoteModels } from "./listRemoteModels";
import { RemoteError } from "./remoteErrors";
import { runRemote, type RemoteRunOptions } from "./remoteRun";

export class RemoteEngine implements ReasoningEngine {
    constructor(private readonly log: RemoteRunOptions["log"], private readonly redactor: SecretRedactor) {}

    reason({ params, signal, send }: EngineRequest): Promise<ReasonResult> {
        const spec = params.engine;
        if (!spec) throw new Error("RemoteEngine: a request without an engine");
        this.redactor.add(spec.apiKey);
        if (!spec.model?.trim()) {
            throw new RemoteError(ErrorCodes.remoteNotFound, "No model is chosen for the remote engine: pick one of the server's models with R1: Select Model.");
        }
        return runRemote(spec, params, { signal, send, log: this.log });
    }

    listModels(params: ListRemoteModelsParams, signal: AbortSignal): Promise<ListRemoteModelsResult> {
        this.redactor.add(params.engine.apiKey);
        return listRemoteModels(params, signal);
    }
}

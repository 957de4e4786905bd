// r1/countTokens: the tokens of a text by the model's own tokenizer. The loaded model counts when it is the one
// asked for; any other model's vocabulary is loaded alone (`vocabOnly`: no weights, no context, a few MB), kept
// for the next count, and freed when another model is asked for. The file is checked first like every load
// (a malformed GGUF must not abort the process). Counting runs beside the request queue: tokenizing is a
// synchronous read of the vocabulary and never touches the context sequence a generation uses.
import type { LlamaModel } from "node-llama-cpp" with { "resolution-mode": "import" };
import { ErrorCodes, type CountTokensParams, type CountTokensResult } from "../shared/lspProtocol";
import { getRuntime } from "./llamaRuntime";
import { ModelError } from "./modelErrors";
import { checkModelFile } from "./modelFile";
import type { ModelHost } from "./modelHost";

export class TokenCounter {
    private vocab: { path: string; model: Promise<LlamaModel> } | undefined;

    constructor(private readonly host: ModelHost) {}

    async count({ modelPath, text }: CountTokensParams): Promise<CountTokensResult> {
        const loaded = this.host.current;
        const path = modelPath || loaded?.info.path;
        if (!path) throw new ModelError(ErrorCodes.noModel, 'No model is selected. Run "R1: Select Model" to choose a GGUF file.');
        const model = loaded?.info.path === path ? loaded.model : await this.vocabulary(path);
        return { tokens: model.tokenize(text, false).length };
    }

    async dispose(): Promise<void> {
        const vocab = this.vocab;
        this.vocab = undefined;
        await vocab?.model.then((m) => m.dispose(), () => undefined);
    }

    private async vocabulary(path: string): Promise<LlamaModel> {
        if (this.vocab?.path !== path) {
            await this.dispose();
            const model = (async () => {
                await checkModelFile(path);
                const llama = await getRuntime(this.host.status().settings?.gpu ?? "auto", this.host.llamaLogs, () => undefined);
                return llama.loadModel({ modelPath: path, vocabOnly: true, gpuLayers: 0 });
            })();
            this.vocab = { path, model };
            model.catch(() => {
                if (this.vocab?.model === model) this.vocab = undefined;
            });
        }
        return this.vocab!.model;
    }
}

// Which of a server's models is the catalog's model: the full R1 / R1-Zero rows of "R1: Select Model" lead to the
// remote-engine flow with a model name filled in, and that name must be found among what the server serves,
// whatever the engine calls it (vLLM/SGLang "deepseek-ai/DeepSeek-R1", Ollama "deepseek-r1:671b", llama-server
// "DeepSeek-R1-UD-IQ1_S", the DeepSeek API "deepseek-reasoner"). Pure.
import { endpointHost } from "./remoteEndpoint";

/** The name the catalog model is served under by default: its Hugging Face repository ("deepseek-ai/DeepSeek-R1"). */
export function servedModelName(model: { name: string; upstream: string }): string {
    const m = /^https:\/\/huggingface\.co\/([^/]+\/[^/?#]+)/.exec(model.upstream);
    return m ? m[1]! : model.name;
}

/** Names other services give the same model (lower case, normalized). */
const ALIASES: Record<string, string[]> = { "deepseek-r1": ["deepseek-reasoner"] };

/** "deepseek-ai/DeepSeek-R1" → "deepseek-r1"; "deepseek-r1:671b" → "deepseek-r1"; "x/Model.gguf" → "model". */
function normalized(name: string): string {
    return (name.split("/").pop() ?? name).toLowerCase().replace(/:[^:]*$/, "").replace(/\.gguf$/, "");
}

/** How well `served` names `wanted`: 0 = not it. */
function score(served: string, wanted: string): number {
    if (served.toLowerCase() === wanted.toLowerCase()) return 4;
    const s = normalized(served);
    const w = normalized(wanted);
    if (s === w) return 3;
    if ((ALIASES[w] ?? []).includes(s)) return 2;
    // A quantization or build suffix ("DeepSeek-R1-UD-IQ1_S"), but not another model ("DeepSeek-R1-Zero", "-Distill-…").
    if (s.startsWith(`${w}-`) && !/^(zero|distill)/.test(s.slice(w.length + 1))) return 1;
    return 0;
}

/** The served model that is `wanted`, or undefined when none matches. */
export function matchServedModel(served: readonly string[], wanted: string): string | undefined {
    let best: string | undefined;
    let bestScore = 0;
    for (const name of served) {
        const s = score(name, wanted);
        if (s > bestScore) {
            best = name;
            bestScore = s;
        }
    }
    return best;
}

/**
 * The name to fill in when the model must be typed by hand (the server has no /models route): the DeepSeek API
 * calls R1 "deepseek-reasoner"; other servers the catalog's name.
 */
export function suggestedModelName(baseUrl: string, wanted: string | undefined): string {
    if (!wanted) return "";
    if (endpointHost(baseUrl) === "api.deepseek.com" && normalized(wanted) === "deepseek-r1") return "deepseek-reasoner";
    return wanted;
}

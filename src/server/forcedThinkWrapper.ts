// node-llama-cpp's DeepSeek chat wrapper, made to start every reply inside `<think>\n` as the R1-Distill
// template does (`…<｜Assistant｜><think>\n`). The stock wrapper ends the prompt at `<｜Assistant｜>`, and a
// `responsePrefix` would lose the thought segmentation; an open thought segment in the history keeps it but
// escapes `budgets.thoughtTokens` (the budget only closes segments opened during the generation). A thought
// segment whose prefix is `<think>\n` and that opens on response start keeps all three: the forced start,
// the segmentation, and the thinking budget. Built after node-llama-cpp is imported (it is ESM-only).
import type { ChatWrapper, ChatWrapperSettings } from "node-llama-cpp" with { "resolution-mode": "import" };
import type { NodeLlamaCpp } from "./llamaRuntime";

export function createForcedThinkWrapper(lib: NodeLlamaCpp): ChatWrapper {
    const { DeepSeekChatWrapper, LlamaText, SpecialTokensText } = lib;
    class ForcedThinkDeepSeekChatWrapper extends DeepSeekChatWrapper {
        public override readonly wrapperName = "DeepSeek (forced <think>)";
        public override readonly settings: ChatWrapperSettings;

        constructor() {
            super({ keepOnlyLastThought: true });
            const base = new DeepSeekChatWrapper().settings;
            const thought = base.segments?.thought;
            if (!thought) throw new Error("node-llama-cpp's DeepSeekChatWrapper has no thought segment");
            this.settings = {
                ...base,
                segments: { ...base.segments, thought: { ...thought, prefix: LlamaText(new SpecialTokensText("<think>"), "\n"), openOnResponseStart: true } }
            };
        }
    }
    return new ForcedThinkDeepSeekChatWrapper();
}

// Why an answer's code is not turned into an edit: a code for callers and tests, and a sentence for the user.

import type { AnswerBlock } from "../answer/answerBlocks";

export type RefusalCode =
    | "invalidTarget"
    | "noCodeBlock"
    | "noApplicableBlock"
    | "languageMismatch"
    | "reasoningLeak"
    | "placeholder"
    | "diffMismatch"
    | "ambiguousPlacement"
    | "unrelatedCode"
    | "noChange";

export interface EditRefusal {
    ok: false;
    code: RefusalCode;
    /** A sentence for the user. */
    reason: string;
    block?: AnswerBlock;
}

export function refuse(code: RefusalCode, reason: string, block?: AnswerBlock): EditRefusal {
    return block ? { ok: false, code, reason, block } : { ok: false, code, reason };
}

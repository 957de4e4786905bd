// Batches streamed deltas into progress messages: never one message per token, never more than `intervalMs`
// between a token and the message that carries it (50 ms: no visible lag). The first text of a reply goes at once,
// alone: the view shows that the model has started without waiting for a batch, and a reply of two or more
// deltas always streams in two or more messages, however fast the model is.
import type { ReasonNotice, ReasonProgress, ReasonStats, ThoughtState } from "../shared/lspProtocol";

export class ProgressBatcher {
    private thought = "";
    private answer = "";
    private notices: ReasonNotice[] = [];
    private dirty = false;
    private timer: NodeJS.Timeout | undefined;
    sent = 0;

    constructor(
        private readonly send: (progress: ReasonProgress) => void,
        private readonly snapshot: () => { thoughtState: ThoughtState; stats: ReasonStats },
        private readonly intervalMs = 50
    ) {}

    private answerRetracted = false;
    /** Whether a message with text has gone: until then, text is sent as soon as it comes. */
    private textSent = false;

    /** Adds a delta. A retraction (the answer so far was reasoning) is carried in order with the text. */
    add(delta: { thought: string; answer: string; answerRetracted?: true }): void {
        if (delta.answerRetracted) {
            // What this batch held as answer is dropped with the rest of the shown answer; the delta's thought repeats it.
            this.answer = "";
            this.answerRetracted = true;
        }
        this.thought += delta.thought;
        this.answer += delta.answer;
        if (!this.textSent && (delta.thought || delta.answer)) {
            this.dirty = true;
            this.flush();
        } else if (delta.answerRetracted || delta.thought || delta.answer) {
            this.touch();
        }
    }

    addNotice(notice: ReasonNotice): void {
        this.notices.push(notice);
        this.touch();
    }

    /** Marks the state as changed (for example the thought ended) so the next flush reports it. */
    touch(): void {
        this.dirty = true;
        this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
    }

    flush(): void {
        clearTimeout(this.timer);
        this.timer = undefined;
        if (!this.dirty) return;
        const { thoughtState, stats } = this.snapshot();
        const progress: ReasonProgress = { thoughtState, stats };
        if (this.thought) progress.thought = this.thought;
        if (this.answer) progress.answer = this.answer;
        if (this.notices.length > 0) progress.notices = this.notices;
        if (this.answerRetracted) progress.answerRetracted = true;
        if (this.thought || this.answer) this.textSent = true;
        this.answerRetracted = false;
        this.thought = "";
        this.answer = "";
        this.notices = [];
        this.dirty = false;
        this.sent++;
        this.send(progress);
    }

    dispose(): void {
        clearTimeout(this.timer);
        this.timer = undefined;
    }
}

/** One reply's running figures and notices, and the batcher that streams them: what every engine's run starts with. */
export interface ReplyProgress {
    readonly stats: ReasonStats;
    /** Every notice of the reply, for its result. */
    readonly notices: ReasonNotice[];
    readonly batcher: ProgressBatcher;
    /** Records a notice and streams it. */
    notice(n: ReasonNotice): void;
}

/**
 * Starts the progress of a reply begun at `started` (performance.now()): `initial` notices were sent already and are
 * only kept, `thoughtState` is read whenever a message goes.
 */
export function startReplyProgress(
    send: (progress: ReasonProgress) => void, thoughtState: () => ThoughtState, started: number,
    options: { flushIntervalMs?: number; initial?: readonly ReasonNotice[] } = {}
): ReplyProgress {
    const stats: ReasonStats = { thoughtTokens: 0, answerTokens: 0, promptTokens: 0, reusedPromptTokens: 0, tokensPerSecond: 0, elapsedMs: 0 };
    const notices: ReasonNotice[] = [...(options.initial ?? [])];
    const batcher = new ProgressBatcher(send, () => {
        stats.elapsedMs = Math.round(performance.now() - started);
        return { thoughtState: thoughtState(), stats: { ...stats } };
    }, options.flushIntervalMs);
    return {
        stats, notices, batcher,
        notice(n) {
            notices.push(n);
            batcher.addNotice(n);
        }
    };
}

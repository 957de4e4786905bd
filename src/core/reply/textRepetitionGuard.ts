// The loop watchdog (repetitionGuard) for engines that stream text without token ids (remote servers): the text
// is cut into word-sized pieces (a run of up to 16 letters or digits with the spaces before it, or one other
// character), each distinct piece gets a number, and the guard looks for a repeating run of those numbers as it
// would for tokens. A piece cut by a chunk boundary waits for the next chunk, so the pieces never depend on how
// the server chunked its stream.
import { RepetitionGuard, type RepetitionGuardOptions } from "./repetitionGuard";

const PIECE = /\s*(?:[\p{L}\p{N}_]{1,16}|[^\s\p{L}\p{N}_])/gu;

export interface TextRepetition {
    /** The repeating text (its most recent occurrence). */
    repeated: string;
}

export class TextRepetitionGuard {
    private readonly guard: RepetitionGuard;
    private readonly ids = new Map<string, number>();
    private readonly pieces: string[] = [];
    private pending = "";

    constructor(options: Partial<RepetitionGuardOptions> = {}) {
        this.guard = new RepetitionGuard(options);
    }

    /** Feeds streamed text; returns the first loop found, or undefined. */
    push(text: string): TextRepetition | undefined {
        const all = this.pending + text;
        const ids: number[] = [];
        let end = 0;
        PIECE.lastIndex = 0;
        for (let m = PIECE.exec(all); m; m = PIECE.exec(all)) {
            // The last piece may go on in the next chunk ("repe" + "ating"): keep it back.
            if (m.index + m[0].length === all.length) break;
            ids.push(this.idOf(m[0]));
            end = m.index + m[0].length;
        }
        this.pending = all.slice(end);
        if (this.pending.length > 256) this.pending = this.pending.slice(-256);
        const hit = this.guard.push(ids);
        return hit ? { repeated: hit.unit.map((id) => this.pieces[id]).join("") } : undefined;
    }

    private idOf(piece: string): number {
        let id = this.ids.get(piece);
        if (id === undefined) {
            id = this.pieces.length;
            this.pieces.push(piece);
            this.ids.set(piece, id);
        }
        return id;
    }
}

// Saves what a streaming reply has received so far into its turn (ConversationTurn.partial) and the chat history,
// so that a window reload or a model process crash in the middle of a reply keeps what had arrived. The first
// text is saved at once, then at most once a second while more arrives (each save writes the whole history).
export const partialSaveIntervalMs = 1000;

export class PartialSaves {
    private readonly pending = new Map<string, { timer: ReturnType<typeof setTimeout>; dirty: boolean }>();

    /** `save(id)` stores the turn's reply so far; it is called now or within a second. */
    constructor(private readonly save: (id: string) => void) {}

    /** More of turn `id`'s reply arrived. */
    arrived(id: string): void {
        const entry = this.pending.get(id);
        if (entry) {
            entry.dirty = true;
            return;
        }
        this.save(id);
        const next = { dirty: false, timer: setTimeout(() => this.tick(id), partialSaveIntervalMs) };
        this.pending.set(id, next);
    }

    private tick(id: string): void {
        const entry = this.pending.get(id);
        if (!entry) return;
        if (!entry.dirty) {
            this.pending.delete(id);
            return;
        }
        entry.dirty = false;
        this.save(id);
        entry.timer = setTimeout(() => this.tick(id), partialSaveIntervalMs);
    }

    /** The turn ended (its final state is saved by the caller): no more saves for it. */
    ended(id: string): void {
        const entry = this.pending.get(id);
        if (entry) clearTimeout(entry.timer);
        this.pending.delete(id);
    }

    /** Turns with a save pending (tests count them: none may be left behind). */
    get size(): number {
        return this.pending.size;
    }

    dispose(): void {
        for (const id of [...this.pending.keys()]) this.ended(id);
    }
}

// Keeps a scrolling element pinned to its end while content streams in, until the user scrolls away from
// the end; pinning resumes when they scroll back to it.
//
// Growth is noticed with a ResizeObserver on the content, whose callback runs after layout and before
// paint: the view is re-pinned in the same frame, without forcing a synchronous layout in the code that
// added the text, and late size changes (fonts, offscreen paragraphs laid out later) are caught too.

/** Distance from the end, in CSS pixels, that still counts as "at the end". */
const slackPx = 24;

export interface StickToBottomOptions {
    /** Where the scroller's scroll, wheel and key events arrive (window for the page). Default: the scroller. */
    events?: EventTarget;
    /** The element whose growth should keep the view pinned. */
    content?: Element;
}

export class StickToBottom {
    private pinned = true;
    /** Where update() last put the view (until the user scrolls elsewhere). */
    private ownTop: number | undefined;
    private readonly controller = new AbortController();
    private readonly observer: ResizeObserver | undefined;

    /** `scroller` is the element that scrolls (document.scrollingElement for the page). */
    constructor(private readonly scroller: Element, options: StickToBottomOptions = {}) {
        const events = options.events ?? scroller;
        const signal = this.controller.signal;
        events.addEventListener("scroll", () => {
            // The event of our own scroll arrives a frame later, when more content may have come: it says nothing
            // about the user, who has not moved from where we put the view.
            if (this.ownTop !== undefined && Math.abs(this.scroller.scrollTop - this.ownTop) < 1) return;
            this.ownTop = undefined;
            this.pinned = this.atEnd();
        }, { passive: true, signal });
        // Intent to read further up is known before the scroll happens: stop pinning at once, so the next
        // frame's content does not pull the view back down under the user's wheel.
        events.addEventListener("wheel", (e) => { if ((e as WheelEvent).deltaY < 0) this.pinned = false; }, { passive: true, signal });
        events.addEventListener("keydown", (e) => {
            const target = e.target;
            if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
            const key = (e as KeyboardEvent).key;
            if (key === "ArrowUp" || key === "PageUp" || key === "Home") this.pinned = false;
        }, { signal });
        if (options.content) {
            this.observer = new ResizeObserver(() => this.update());
            this.observer.observe(options.content);
            // The scroller itself changes size too (the view is shown, resized, the prompt box grows): stay at the end.
            if (options.content !== scroller) this.observer.observe(scroller);
        }
    }

    get isPinned(): boolean {
        return this.pinned;
    }

    /** Scrolls to the end when pinned. */
    update(): void {
        if (!this.pinned) return;
        this.scroller.scrollTop = this.scroller.scrollHeight;
        this.ownTop = this.scroller.scrollTop;
    }

    /** Pins again and scrolls to the end (e.g. when the user sends a new message). */
    pin(): void {
        this.pinned = true;
        this.update();
    }

    dispose(): void {
        this.controller.abort();
        this.observer?.disconnect();
    }

    private atEnd(): boolean {
        const s = this.scroller;
        return s.scrollHeight - s.clientHeight - s.scrollTop <= slackPx;
    }
}

// Batches DOM work to one pass per animation frame: components mark themselves dirty as text arrives
// (any number of messages per frame) and do their DOM updates once, just before the browser renders.
// While the webview is hidden the browser pauses animation frames: text then accumulates in memory and
// is rendered in one pass when the view shows again.

export type FrameTask = (now: number) => void;

export class FrameScheduler {
    private readonly tasks = new Set<FrameTask>();
    private handle = 0;

    /** Runs `task` once in the next frame (scheduling it twice before then runs it once). */
    schedule(task: FrameTask): void {
        this.tasks.add(task);
        if (this.handle === 0) this.handle = requestAnimationFrame((now) => this.run(now));
    }

    cancel(task: FrameTask): void {
        this.tasks.delete(task);
    }

    private run(now: number): void {
        this.handle = 0;
        const tasks = [...this.tasks];
        this.tasks.clear();
        for (const task of tasks) {
            try {
                task(now);
            } catch (err) {
                console.error("r1 webview: render task failed", err);
            }
        }
    }
}

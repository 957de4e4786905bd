// A small line diff (Myers, after trimming the common prefix and suffix): the alignment rebaseEdit needs and
// unified-diff text for edit previews.

export type DiffOpKind = "equal" | "delete" | "insert";

/** A run of lines: `count` lines at oldStart (equal/delete) and/or newStart (equal/insert), 0-based. */
export interface DiffOp {
    kind: DiffOpKind;
    oldStart: number;
    newStart: number;
    count: number;
}

/** Above this many differences the middle is reported as one delete + one insert (memory stays under ~16 MB). */
const MAX_EDIT_DISTANCE = 2000;

function push(ops: DiffOp[], kind: DiffOpKind, oldStart: number, newStart: number, count: number): void {
    if (count <= 0) return;
    const last = ops[ops.length - 1];
    if (last && last.kind === kind &&
        last.oldStart + (kind === "insert" ? 0 : last.count) === oldStart &&
        last.newStart + (kind === "delete" ? 0 : last.count) === newStart) {
        last.count += count;
        return;
    }
    ops.push({ kind, oldStart, newStart, count });
}

/** Myers' O((N+M)D) diff of a[a0..a1) and b[b0..b1); appends ops in order. */
function myers(a: readonly string[], b: readonly string[], a0: number, a1: number, b0: number, b1: number, ops: DiffOp[]): void {
    const n = a1 - a0;
    const m = b1 - b0;
    const max = Math.min(n + m, MAX_EDIT_DISTANCE);
    const offset = max + 1;
    const v = new Int32Array(2 * max + 3);
    const trace: Int32Array[] = [];
    let found = -1;
    for (let d = 0; d <= max; d++) {
        for (let k = -d; k <= d; k += 2) {
            let x: number;
            if (k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)) x = v[offset + k + 1]!;
            else x = v[offset + k - 1]! + 1;
            let y = x - k;
            while (x < n && y < m && a[a0 + x] === b[b0 + y]) {
                x++;
                y++;
            }
            v[offset + k] = x;
            if (x >= n && y >= m) {
                found = d;
                break;
            }
        }
        trace.push(v.slice(offset - d - 1, offset + d + 2));
        if (found >= 0) break;
    }
    if (found < 0) {
        push(ops, "delete", a0, b0, n);
        push(ops, "insert", a0 + n, b0, m);
        return;
    }
    // Backtrack from (n, m) to (0, 0), collecting moves in reverse.
    const moves: { kind: DiffOpKind; x: number; y: number }[] = [];
    let x = n;
    let y = m;
    for (let d = found; d > 0; d--) {
        const vd = trace[d - 1]!; // v after step d-1, indexed k + d (covers k in [-(d-1)-1, (d-1)+1])
        const at = (k: number): number => vd[k + d]!;
        const k = x - y;
        const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
        const prevX = at(prevK);
        const prevY = prevX - prevK;
        while (x > prevX && y > prevY) {
            moves.push({ kind: "equal", x: x - 1, y: y - 1 });
            x--;
            y--;
        }
        if (prevK === k + 1) moves.push({ kind: "insert", x, y: prevY });
        else moves.push({ kind: "delete", x: prevX, y });
        x = prevX;
        y = prevY;
    }
    while (x > 0 && y > 0) {
        moves.push({ kind: "equal", x: x - 1, y: y - 1 });
        x--;
        y--;
    }
    for (let i = moves.length - 1; i >= 0; i--) {
        const mv = moves[i]!;
        push(ops, mv.kind, a0 + mv.x, b0 + mv.y, 1);
    }
}

/** Diff of two line arrays, as runs of equal, deleted and inserted lines in document order. */
export function diffLines(a: readonly string[], b: readonly string[]): DiffOp[] {
    const ops: DiffOp[] = [];
    let start = 0;
    while (start < a.length && start < b.length && a[start] === b[start]) start++;
    let endA = a.length;
    let endB = b.length;
    while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
        endA--;
        endB--;
    }
    push(ops, "equal", 0, 0, start);
    if (endA > start || endB > start) {
        if (endA === start) push(ops, "insert", start, start, endB - start);
        else if (endB === start) push(ops, "delete", start, start, endA - start);
        else myers(a, b, start, endA, start, endB, ops);
    }
    push(ops, "equal", endA, endB, a.length - endA);
    return ops;
}

export interface UnifiedDiffOptions {
    /** Unchanged lines shown around each change (default 3). */
    context?: number;
    oldLabel?: string;
    newLabel?: string;
}

/** Unified diff text of two texts ("" when they are equal). Lines are compared without their line breaks. */
export function unifiedDiff(oldText: string, newText: string, options: UnifiedDiffOptions = {}): string {
    const context = options.context ?? 3;
    const a = oldText.split(/\r\n|\r|\n/);
    const b = newText.split(/\r\n|\r|\n/);
    const ops = diffLines(a, b);
    if (ops.every((o) => o.kind === "equal")) return "";
    const out: string[] = [];
    if (options.oldLabel !== undefined || options.newLabel !== undefined) {
        out.push(`--- ${options.oldLabel ?? "a"}`, `+++ ${options.newLabel ?? "b"}`);
    }
    // Group ops into hunks: changes closer than 2*context lines share a hunk.
    let i = 0;
    while (i < ops.length) {
        while (i < ops.length && ops[i]!.kind === "equal") i++;
        if (i >= ops.length) break;
        let j = i;
        while (j + 1 < ops.length) {
            const next = ops[j + 1]!;
            if (next.kind !== "equal") {
                j++;
                continue;
            }
            if (j + 2 < ops.length && next.count <= 2 * context) {
                j += 2;
                continue;
            }
            break;
        }
        const first = ops[i]!;
        const before = i > 0 ? Math.min(context, ops[i - 1]!.count) : 0;
        const after = j + 1 < ops.length ? Math.min(context, ops[j + 1]!.count) : 0;
        const oldStart = first.oldStart - before;
        const newStart = first.newStart - before;
        const lines: string[] = [];
        for (let k = oldStart; k < first.oldStart; k++) lines.push(` ${a[k]}`);
        let oldCount = before;
        let newCount = before;
        for (let h = i; h <= j; h++) {
            const op = ops[h]!;
            for (let k = 0; k < op.count; k++) {
                if (op.kind === "equal") lines.push(` ${a[op.oldStart + k]}`);
                else if (op.kind === "delete") lines.push(`-${a[op.oldStart + k]}`);
                else lines.push(`+${b[op.newStart + k]}`);
            }
            if (op.kind !== "insert") oldCount += op.count;
            if (op.kind !== "delete") newCount += op.count;
        }
        if (j + 1 < ops.length) {
            const eq = ops[j + 1]!;
            for (let k = 0; k < after; k++) lines.push(` ${a[eq.oldStart + k]}`);
        }
        oldCount += after;
        newCount += after;
        const range = (start: number, count: number): string =>
            count === 1 ? `${start + 1}` : `${count === 0 ? start : start + 1},${count}`;
        out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`, ...lines);
        i = j + 1;
    }
    return out.join("\n") + "\n";
}

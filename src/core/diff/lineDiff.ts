// A small line diff (Myers, after trimming the common prefix and suffix): the alignment rebaseEdit needs to
// move an edit onto a document that changed.

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

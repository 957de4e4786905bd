// Privacy: with the local engine nothing leaves the machine. The runner starts code-server under
// `strace -f -e trace=connect,clone,clone3,fork,vfork` (runExtensionTests, where strace exists), so every connection
// attempt of code-server, the extension host and the model process (native code included) is in R1_CONNECT_LOG. This
// test runs a chat, a Fix with R1 and an Explain Code with the local model and reads what was recorded meanwhile: no
// address but loopback and local sockets, no DNS. Two deliberate attempts to a documentation address (192.0.2.1,
// TEST-NET-1), one from the extension host and one from the model process, show that the recorder sees both processes
// (they are made after the three requests and left out of the check). strace -f names the thread (TID) that made a
// call, not its process: the clone/fork records in the same log say which threads belong to which process (a clone
// with CLONE_THREAD adds a thread to its caller's process; any other makes a new process), so each control attempt is
// attributed to the extension host or the model process whichever thread made it. Skips with one line where strace
// is missing.
import * as assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import * as vscode from "vscode";
import type { ChatController } from "../../../src/features/chat/chatController";
import type { ExplainOutcome } from "../../../src/features/explain/explainCode";
import type { HostToWebview } from "../../../src/shared/webviewProtocol";
import { RIGHT_FIX } from "../../fixtures/cartScripts";
import { FixSession } from "./fixSession";
import { extensionId, proposalTabs, waitFor } from "./helpers";

interface ConnectRecord {
    /** The thread that called connect() (strace -f prints thread ids); processOf says whose thread it is. */
    tid: number;
    family: string;
    address: string;
    port: number;
    line: string;
}

/**
 * strace's lines from byte `from` (to byte `to`) of the log, one per system call: where two threads were in a call at
 * once strace splits it into "<unfinished ...>" and "<... name resumed>", and the two halves are joined here.
 */
function callLines(log: string, from = 0, to?: number): string[] {
    const text = readFileSync(log).subarray(from, to).toString("utf8");
    const pending = new Map<string, string>();
    const lines: string[] = [];
    for (const line of text.split("\n")) {
        const unfinished = /^(\d+)\s+(.*?)\s*<unfinished \.\.\.>$/.exec(line);
        if (unfinished) {
            pending.set(unfinished[1]!, `${unfinished[1]} ${unfinished[2]}`);
            continue;
        }
        const resumed = /^(\d+)\s+<\.\.\. \w+ resumed>\s?(.*)$/.exec(line);
        if (resumed) {
            const head = pending.get(resumed[1]!);
            pending.delete(resumed[1]!);
            if (head !== undefined) lines.push(`${head} ${resumed[2]}`);
            continue;
        }
        lines.push(line);
    }
    // A call still in progress keeps what strace wrote of it (for connect(), its address).
    lines.push(...pending.values());
    return lines;
}

/** The connect() calls strace recorded from byte `from` (to byte `to`); `tid` is the thread that made the call. */
function recordsSince(log: string, from: number, to?: number): ConnectRecord[] {
    const records: ConnectRecord[] = [];
    for (const line of callLines(log, from, to)) {
        const m = /^(\d+)\s+connect\(\d+, \{sa_family=(AF_\w+)(.*)$/.exec(line);
        if (!m) continue;
        const rest = m[3]!;
        const v4 = /sin_port=htons\((\d+)\), sin_addr=inet_addr\("([^"]+)"\)/.exec(rest);
        const v6 = /sin6_port=htons\((\d+)\).*inet_pton\(AF_INET6, "([^"]+)"/.exec(rest);
        const unix = /sun_path=(@?"[^"]*"|[^,}]*)/.exec(rest);
        const port = Number(v4?.[1] ?? v6?.[1] ?? 0);
        records.push({ tid: Number(m[1]), family: m[2]!, address: v4?.[2] ?? v6?.[2] ?? unix?.[1] ?? "", port, line });
    }
    return records;
}

/**
 * The process (thread group id) of each thread strace saw, from the clone/clone3/fork/vfork calls in the whole log:
 * a new task made with CLONE_THREAD belongs to its creator's process, any other task is a process of its own. Read
 * from the log alone, so it holds for threads that have already exited; the order in which strace wrote the calls
 * does not matter.
 */
function processOf(log: string): (tid: number) => number {
    const created = new Map<number, { by: number; thread: boolean }>();
    for (const line of callLines(log)) {
        const m = /^(\d+)\s+(clone3?|v?fork)\((.*)\)\s+=\s+(\d+)\s*$/.exec(line);
        if (!m || Number(m[4]) <= 0) continue;
        created.set(Number(m[4]), { by: Number(m[1]), thread: /\bCLONE_THREAD\b/.test(m[3]!) });
    }
    return (tid) => {
        const seen = new Set<number>();
        let t = tid;
        for (let c = created.get(t); c?.thread && !seen.has(t); c = created.get(t)) {
            seen.add(t);
            t = c.by;
        }
        return t;
    };
}

function isLocal(r: ConnectRecord): boolean {
    if (r.family === "AF_UNIX" || r.family === "AF_NETLINK") return true;
    if (r.family === "AF_UNSPEC") return true; // a UDP socket being disconnected
    if (r.family === "AF_INET") return r.address.startsWith("127.");
    if (r.family === "AF_INET6") return r.address === "::1" || /^::ffff:127\./.test(r.address);
    return false;
}

describe("Privacy: with the local engine nothing leaves the machine (every connect() recorded by strace)", function () {
    this.timeout(180_000);
    const log = process.env.R1_CONNECT_LOG;

    it("chat, Fix with R1 and Explain Code connect only to loopback and local sockets; the recorder sees both processes", async function () {
        if (!log || !existsSync(log)) {
            console.log("[privacy] skipped: strace is not installed here, so connection attempts cannot be recorded (apt-get install strace)");
            this.skip();
        }
        const session = await FixSession.open("privacy");
        try {
            const api = (await vscode.extensions.getExtension(extensionId)!.activate()) as { chat: ChatController; modelProcess: { status?: { pid: number }; listRemoteModels(p: unknown): Promise<unknown> } };
            await session.useModel(RIGHT_FIX, "privacy");
            const from = readFileSync(log).length;

            // Chat, through the test connection that stands in for the webview.
            const posted: HostToWebview[] = [];
            const view = api.chat.connect((m) => posted.push(m));
            await view.handle({ type: "ready" });
            await view.handle({ type: "send", text: "Why does parsePrice not compile?" });
            view.dispose();
            assert.ok(posted.some((m) => m.type === "turnFinished"), "the chat answered");
            // Fix with R1: the diff opens; discarded.
            const { outcome } = await session.chooseFixWithR1();
            const { tab } = await session.proposalShown();
            await vscode.window.tabGroups.close(tab);
            assert.equal((await outcome).status, "discarded");
            await waitFor(() => proposalTabs().length === 0, 30_000, "the diff is closed");
            // Explain Code.
            const explained = await vscode.commands.executeCommand<ExplainOutcome>("r1.explainCode", session.uri, new vscode.Range(0, 0, 4, 0));
            assert.equal(explained.status, "explained", explained.message);
            const modelPid = api.modelProcess.status?.pid;
            assert.ok(modelPid, "the model process ran");
            const during = readFileSync(log).length;

            // The controls: one attempt from the extension host, one from the model process. Port 80: fetch refuses
            // a few ports (9, "discard", among them) before it connects, and then nothing would be recorded.
            await new Promise<void>((resolve) => {
                const socket = connect({ host: "192.0.2.1", port: 80 });
                socket.on("connect", () => socket.destroy());
                socket.on("error", () => resolve());
                setImmediate(() => {
                    socket.destroy();
                    resolve();
                });
            });
            const remote = await api.modelProcess.listRemoteModels({ engine: { baseUrl: "http://192.0.2.1:80/v1", proxy: "direct", firstByteTimeoutMs: 1000 } })
                .then(() => "a model list", (e: unknown) => (e instanceof Error ? e.message : String(e)));
            const controls = await waitFor(() => {
                const r = recordsSince(log, during).filter((c) => c.address === "192.0.2.1");
                const pidOf = processOf(log);
                const found = r.map((c) => ({ ...c, pid: pidOf(c.tid) }));
                return found.some((c) => c.pid === process.pid) && found.some((c) => c.pid === modelPid) && found;
            }, 30_000, `strace recorded a control attempt from the extension host (pid ${process.pid}) and one from the model process (pid ${modelPid}; r1/listRemoteModels answered: ${remote})`);
            const within = recordsSince(log, from, during);
            const leaving = within.filter((r) => !isLocal(r));
            const dns = within.filter((r) => r.port === 53);
            const byFamily = new Map<string, number>();
            for (const r of within) byFamily.set(r.family, (byFamily.get(r.family) ?? 0) + 1);
            console.log(`[privacy] chat + fix + explain: ${within.length} connect() calls (${[...byFamily].map(([f, n]) => `${f} ${n}`).join(", ")}), ` +
                `${leaving.length} not local, ${dns.length} DNS; controls seen from ${controls.map((c) => `thread ${c.tid} of pid ${c.pid}`).join(", ")} (extension host ${process.pid}, model process ${modelPid})`);
            assert.deepEqual(leaving.map((r) => r.line), [], "no connection attempt left the machine");
            assert.deepEqual(dns.map((r) => r.line), [], "no name was looked up");
        } finally {
            await session.close();
        }
    });
});

// How the model process (dist/server.js) is started, by the extension and by the plain client alike.
//
// - `--max-semi-space-size=2`: V8 grows its young generation up to 2 × 16 MB while tokens stream and never gives it
//   back (no collection shrinks it). Capped at 2 MB per semi-space, a burst of requests grows the heap by 4 MB
//   instead of 20–30, and the process does little in JavaScript, so the extra scavenges cost nothing measurable
//   (a churn of short-lived objects ran as fast: 292 ms against 333–342 ms unlimited).
// - `--expose-gc`: the process runs one full garbage collection when it goes idle after requests
//   (server/idleCollector.ts), so what a burst left in the old generation is collected while nobody waits.
// - `MALLOC_MMAP_THRESHOLD_` (glibc): llama.cpp allocates and frees buffers of hundreds of KB on every decoding step
//   (logits are vocabulary × 4 bytes: 600 KB for R1's 151k tokens). glibc starts by mapping such blocks and unmapping
//   them on free, but its threshold then grows to the largest block freed, after which they come from the heap, where
//   a freed block in the middle stays in the process. A fixed threshold keeps them mapped, so freed means returned
//   (measured over a cancel storm of 50 requests: +13.5 MB of native memory without it, +6.7 MB with it). A value the
//   user set is kept. Other C libraries ignore the variable.
export const MODEL_PROCESS_EXEC_ARGV: readonly string[] = ["--max-semi-space-size=2", "--expose-gc"];

export function modelProcessEnv(base: NodeJS.ProcessEnv, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { MALLOC_MMAP_THRESHOLD_: "131072", ...base, NODE_LLAMA_CPP_POSTINSTALL: "skip", ...extra };
}

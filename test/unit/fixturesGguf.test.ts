// The fixture GGUF writer, its encoders, the scripted vocabulary and the embedded R1 template, without
// running a model (node-llama-cpp's own GGUF reader is the independent check of the files).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeRow, encodeRow, float16BitsToFloat32, float32ToFloat16Bits } from "../fixtures/gguf/ggmlQuantize";
import { gguf, rowByteSize, type GgmlTypeName } from "../fixtures/gguf/ggufFormat";
import { readGgufHeader, readTensorRow } from "../fixtures/gguf/ggufReader";
import { writeGguf } from "../fixtures/gguf/ggufWriter";
import { gpt2ByteToChar, toByteLevel } from "../fixtures/gguf/byteLevel";
import { EMBEDDED_R1_CHAT_TEMPLATE, R1_CHAT_TEMPLATE_SHARED_PATH } from "../fixtures/r1ChatTemplate";
import { findSharedDir } from "../fixtures/repoPaths";
import { ensureFixtureModel, fixtureModelPath, isFixtureModelCurrent } from "../fixtures/generate";
import { buildScriptedVocabulary, expectedScriptReply, scriptCycle, scriptedModelFingerprint, writeScriptedModel } from "../fixtures/scriptedModel";
import { SCRIPTED_VARIANTS, SCRIPTED_VARIANT_NAMES } from "../fixtures/scriptedVariants";
import { r1ReplyPieces, splitIntoPieces } from "../fixtures/scriptPieces";
import { R1_EOS, R1_THINK_CLOSE, R1_THINK_OPEN } from "../fixtures/r1Tokens";

function tempDir(): string {
    return mkdtempSync(join(tmpdir(), "r1-gguf-test-"));
}

test("float32 → float16 rounds like IEEE half precision", () => {
    const cases: Array<[number, number]> = [
        [0, 0x0000], [-0, 0x8000], [1, 0x3c00], [-2, 0xc000], [0.5, 0x3800], [65504, 0x7bff], [65520, 0x7c00],
        [1e6, 0x7c00], [2 ** -24, 0x0001], [2 ** -25, 0x0000], [3 * 2 ** -25, 0x0002], [2 ** -14, 0x0400],
        [0.1, 0x2e66], [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02], [Infinity, 0x7c00], [-Infinity, 0xfc00]
    ];
    for (const [value, bits] of cases)
        assert.equal(float32ToFloat16Bits(value), bits, `${value} → 0x${bits.toString(16)}`);
    assert.ok(Number.isNaN(float16BitsToFloat32(float32ToFloat16Bits(NaN))));
    for (let bits = 0; bits < 0x7c00; bits += 7) assert.equal(float32ToFloat16Bits(float16BitsToFloat32(bits)), bits);
});

test("Q8_0 and Q4_0 rows round-trip within one quantization step; one-hot rows survive", () => {
    const row = new Float32Array(64).map((_, i) => Math.sin(i * 1.7) * (i % 5 === 0 ? 3 : 0.4));
    for (const type of ["F32", "F16", "Q8_0", "Q4_0"] as GgmlTypeName[]) {
        const bytes = new Uint8Array(rowByteSize(type, row.length));
        assert.equal(encodeRow(type, row, bytes, 0), bytes.length);
        const back = decodeRow(type, bytes, row.length);
        const blockMax = (i: number) => Math.max(...row.subarray(i - (i % 32), i - (i % 32) + 32).map(Math.abs));
        for (let i = 0; i < row.length; i++) {
            const step = type === "Q8_0" ? blockMax(i) / 127 : type === "Q4_0" ? blockMax(i) / 8 : type === "F16" ? 2e-3 : 0;
            assert.ok(Math.abs(back[i] - row[i]) <= step * 0.5 + 1e-6 || (type === "Q4_0" && Math.abs(back[i] - row[i]) <= step + 1e-6),
                `${type}[${i}]: ${row[i]} came back as ${back[i]}`);
        }
        const oneHot = new Float32Array(96);
        oneHot[37] = 0.75;
        const encoded = new Uint8Array(rowByteSize(type, 96));
        encodeRow(type, oneHot, encoded, 0);
        const decoded = decodeRow(type, encoded, 96);
        if (type === "Q8_0") // the block scale is a float16: 127·f16(0.75/127) is 0.75 to 1e-4
            decoded.forEach((v, i) => assert.ok(Math.abs(v - oneHot[i]) < 1e-4, `Q8_0 one-hot [${i}] = ${v}`));
        else assert.deepEqual([...decoded].map((v) => v + 0), [...oneHot], `${type} keeps a one-hot row exactly`); // -0 → 0
    }
    assert.equal(rowByteSize("Q4_0", 1536), 864);
    assert.equal(rowByteSize("Q8_0", 1536), 1632);
    assert.throws(() => rowByteSize("Q4_0", 48), /multiple of 32/);
});

test("the writer's files read back the same through node-llama-cpp and the fixture reader, aligned", async () => {
    const dir = tempDir();
    try {
        const path = join(dir, "t.gguf");
        const ramp = (r: number, out: Float32Array) => out.forEach((_, i) => { out[i] = (r + 1) * (i - 16) / 16; });
        const result = await writeGguf(path, {
            metadata: [
                ["general.architecture", gguf.string("llama")],
                ["test.u32", gguf.u32(4_000_000_000)],
                ["test.i32", gguf.i32(-5)],
                ["test.f32", gguf.f32(0.25)],
                ["test.bool", gguf.bool(true)],
                ["test.string", gguf.string("héllo ｜ ▁")],
                ["test.i32s", gguf.i32s([1, -2, 3])],
                ["test.strings", gguf.strings(["a", "", "ü"])],
                ["test.f32s", gguf.f32s([0.5, -1.5])]
            ],
            tensors: [
                { name: "a", dims: [3], type: "F32", data: { kind: "fill", value: 2 } },
                { name: "b", dims: [32, 3], type: "Q8_0", data: { kind: "rows", fill: ramp } },
                { name: "c", dims: [64, 2], type: "Q4_0", data: { kind: "zeros" } },
                { name: "d", dims: [5, 1], type: "F16", data: { kind: "rows", fill: (r, out) => { out[r] = 1.5; } } }
            ]
        });
        assert.equal(statSync(path).size, result.bytes);
        assert.equal(result.dataOffset % 32, 0);

        const mine = readGgufHeader(path);
        assert.equal(mine.version, 3);
        assert.equal(mine.dataOffset, result.dataOffset);
        assert.equal(mine.metadata.get("test.u32"), 4_000_000_000);
        assert.equal(mine.metadata.get("test.i32"), -5);
        assert.equal(mine.metadata.get("test.string"), "héllo ｜ ▁");
        assert.deepEqual(mine.metadata.get("test.strings"), ["a", "", "ü"]);
        assert.deepEqual(mine.tensors.map((t) => [t.name, t.offset % 32]), [["a", 0], ["b", 0], ["c", 0], ["d", 0]]);
        const row2 = readTensorRow(path, mine, "b", 2);
        const expected = new Float32Array(32);
        ramp(2, expected);
        decodeRow("Q8_0", row2.bytes, 32).forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 0.02));
        assert.deepEqual([...decodeRow("F32", readTensorRow(path, mine, "a", 0).bytes, 3)], [2, 2, 2]);

        const { readGgufFileInfo } = await import("node-llama-cpp");
        const info = await readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false });
        assert.equal(info.version, 3);
        const meta = info.metadata as unknown as Record<string, Record<string, unknown>>;
        assert.equal(meta.test.u32, 4_000_000_000);
        assert.equal(meta.test.i32, -5);
        assert.equal(meta.test.f32, 0.25);
        assert.equal(meta.test.bool, true);
        assert.equal(meta.test.string, "héllo ｜ ▁");
        assert.deepEqual(meta.test.i32s, [1, -2, 3]);
        assert.deepEqual(meta.test.f32s, [0.5, -1.5]);
        assert.deepEqual(info.tensorInfo?.map((t) => [t.name, t.dimensions.map(Number), t.ggmlType, Number(t.offset)]),
            mine.tensors.map((t) => [t.name, t.dims, t.typeCode, t.offset]));
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

test("the writer refuses bad input and leaves no temporary file behind", async () => {
    const dir = tempDir();
    try {
        const path = join(dir, "bad.gguf");
        await assert.rejects(writeGguf(path, { metadata: [["x", gguf.u32(-1)]], tensors: [] }), /not a u32/);
        await assert.rejects(writeGguf(path, { metadata: [], tensors: [{ name: "q", dims: [33], type: "Q4_0", data: { kind: "zeros" } }] }), /multiple of 32/);
        await assert.rejects(writeGguf(path, {
            metadata: [],
            tensors: [{ name: "t", dims: [32], type: "F32", data: { kind: "rows", fill: () => { throw new Error("boom"); } } }]
        }), /boom/);
        assert.deepEqual(readdirSync(dir), []);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

test("GPT-2 byte-level strings cover all 256 bytes once", () => {
    const table = gpt2ByteToChar();
    assert.equal(new Set(table).size, 256);
    assert.equal(table[0x20], "Ġ");
    assert.equal(table[0x0a], "Ċ");
    assert.equal(toByteLevel(" ｜"), "Ġï½ľ");
});

test("every ready script is a valid chain, and expected replies follow from the pieces", () => {
    for (const name of SCRIPTED_VARIANT_NAMES) {
        const spec = SCRIPTED_VARIANTS[name];
        const vocabulary = buildScriptedVocabulary(spec);
        assert.equal(new Set(vocabulary.tokens).size, vocabulary.tokens.length, `${name}: token strings are unique`);
        // Any token outside the chain starts the script: in particular the ends of every kind of prompt.
        const newline = 0x0a;
        assert.equal(vocabulary.next[newline], vocabulary.pieceTokenIds[0], `${name}: "\\n" starts the script`);
    }
    const reply = expectedScriptReply(SCRIPTED_VARIANTS.default);
    assert.ok(reply.closesThought && !reply.opensThought);
    assert.match(reply.answer, /```typescript\n[^]*```/);
    assert.ok(reply.thought.length > 40);
    assert.equal(expectedScriptReply(SCRIPTED_VARIANTS.emitsOpenTag).opensThought, true);
    assert.equal(expectedScriptReply(SCRIPTED_VARIANTS.emptyThought).thought.trim(), "");
    const never = scriptCycle(SCRIPTED_VARIANTS.neverEndingThought);
    assert.ok(never.cycleTokens > 256, "the never-ending cycle is longer than a 256-token repetition window");
    const short = scriptCycle(SCRIPTED_VARIANTS.shortLoop);
    assert.ok(short.cycleTokens >= 3 && short.cycleTokens <= 6);
    assert.equal(new Set(SCRIPTED_VARIANTS.multiBlock.pieces.filter((p) => p.includes("```") && p.trim().length > 3)).size, 3);
});

test("scripts with a repeated piece or a prompt-ending piece are refused", () => {
    assert.throws(() => buildScriptedVocabulary({ pieces: ["a b", " c", "a b"] }), /appears twice/);
    assert.throws(() => buildScriptedVocabulary({ pieces: ["\n", "x"] }), /prompts end with/);
    assert.throws(() => buildScriptedVocabulary({ pieces: ["ok</think>"] }), /contains the special token/);
    assert.throws(() => buildScriptedVocabulary({ pieces: ["a"], loopBackTo: 1 }), /not a piece index/);
});

test("splitIntoPieces makes any prose a valid script that joins back to the text", () => {
    const text = "the cat and the dog and the bird.\n\nThe end\n";
    const pieces = splitIntoPieces(text);
    assert.equal(pieces.join(""), text);
    assert.equal(new Set(pieces).size, pieces.length);
    const script = r1ReplyPieces({ opensThought: true, thought: "so so so", answer: "so so" });
    assert.equal(script[0], R1_THINK_OPEN);
    assert.equal(script.at(-1), R1_EOS);
    assert.ok(script.includes(R1_THINK_CLOSE));
    buildScriptedVocabulary({ pieces: script });
    const reply = expectedScriptReply({ pieces: script });
    assert.deepEqual([reply.thought, reply.answer], ["so so so", "so so"]);
});

test("the embedded R1 template equals the shared reference file", (t) => {
    const shared = findSharedDir();
    const file = shared == null ? undefined : join(shared, R1_CHAT_TEMPLATE_SHARED_PATH);
    if (file == null || !existsSync(file)) {
        t.skip("../shared is absent (set R1_SHARED_DIR to compare with the reference template)");
        return;
    }
    assert.equal(EMBEDDED_R1_CHAT_TEMPLATE, readFileSync(file, "utf8"));
});

test("a generated model is current only for the same generator and script; ensureFixtureModel skips current files", async () => {
    const dir = tempDir();
    try {
        const path = join(dir, "m.gguf");
        const spec = { pieces: ["Hello", " world", R1_EOS] };
        await writeScriptedModel(path, spec);
        assert.equal(isFixtureModelCurrent(path, scriptedModelFingerprint(spec)), true);
        assert.equal(isFixtureModelCurrent(path, scriptedModelFingerprint({ ...spec, loopBackTo: 0 })), false);
        assert.equal(isFixtureModelCurrent(join(dir, "missing.gguf"), scriptedModelFingerprint(spec)), false);
        await writeGguf(path, { metadata: [["general.architecture", gguf.string("qwen2")]], tensors: [] });
        assert.equal(isFixtureModelCurrent(path, scriptedModelFingerprint(spec)), false, "a foreign GGUF is not current");

        const first = await ensureFixtureModel("onlyCloseTag");
        assert.equal(first, fixtureModelPath("onlyCloseTag"));
        const writtenAt = statSync(first).mtimeMs;
        assert.equal(await ensureFixtureModel("onlyCloseTag"), first);
        assert.equal(statSync(first).mtimeMs, writtenAt, "a current file is not rewritten");
        assert.equal(fixtureModelPath("default"), fixtureModelPath("scripted"));
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});


import { test } from "node:test";
import assert from "node:assert/strict";
import { extractAnswerBlocks } from "../../../../src/core/answer/answerBlocks";
import { checkNewFilePath, newFileText } from "../../../../src/core/edit/newFile";

const ROOT = "/home/me/shop";

test("the ways an answer names a new file reach the block's fileHint", () => {
    const answer = [
        "### `src/utils/price.ts`", "", "```ts", "export const a = 1;", "```", "",
        "Create `src/utils/tax.ts`:", "", "```ts", "export const b = 2;", "```", "",
        "```ts title=src/utils/round.ts", "export const c = 3;", "```", "",
        "```ts:src/utils/fmt.ts", "export const d = 4;", "```"
    ].join("\n");
    assert.deepEqual(extractAnswerBlocks(answer).map((b) => b.fileHint), ["src/utils/price.ts", "src/utils/tax.ts", "src/utils/round.ts", "src/utils/fmt.ts"]);
});

test("paths inside the workspace are accepted, written relative to it", () => {
    assert.deepEqual(checkNewFilePath("src/utils/price.ts", ROOT), { ok: true, path: "src/utils/price.ts" });
    assert.deepEqual(checkNewFilePath("./src//x.ts", ROOT), { ok: true, path: "src/x.ts" });
    assert.deepEqual(checkNewFilePath("src\\win\\x.ts", ROOT), { ok: true, path: "src/win/x.ts" });
    assert.deepEqual(checkNewFilePath("/home/me/shop/src/abs.ts", ROOT), { ok: true, path: "src/abs.ts" }, "absolute, but inside the folder");
    assert.deepEqual(checkNewFilePath(".github/workflows/ci.yml", ROOT), { ok: true, path: ".github/workflows/ci.yml" });
});

test("paths that leave the workspace, or are no file path, are refused with the reason", () => {
    const refused = (hint: string): string => {
        const r = checkNewFilePath(hint, ROOT);
        assert.equal(r.ok, false, `${hint} is refused`);
        return r.ok ? "" : r.reason;
    };
    assert.match(refused("../outside.ts"), /climbs out of its folder/);
    assert.match(refused("src/../../etc/x.ts"), /climbs out/);
    assert.match(refused("src/..\\..\\x.ts"), /climbs out/, "backslashes count as separators");
    assert.match(refused("/etc/cron.d/x.sh"), /outside the workspace/);
    assert.match(refused("/home/me/shopping/x.ts"), /outside the workspace/, "a sibling folder with the same prefix");
    assert.match(refused("C:\\Windows\\x.ts"), /outside the workspace/);
    assert.match(refused("~/.bashrc"), /outside the workspace/);
    assert.match(refused("//server/share/x.ts"), /outside the workspace/);
    assert.match(refused("file:///etc/passwd.ts"), /not a path in the workspace/);
    assert.match(refused(".git/hooks/pre-commit.sh"), /inside \.git/);
    assert.match(refused("src/a\u0000b.ts"), /control characters/);
    assert.match(refused("src/con.ts"), /not a valid file name/);
    assert.match(refused("src/x.ts."), /not a valid file name/);
    assert.match(refused("   "), /names no file/);
});

test("the file's text is the block's code, refused like an edit when it cannot be the whole file", () => {
    const ok = newFileText("Create `src/x.ts`:\n\n```ts\nexport const x = 1;\n\n```\n", 0, "src/x.ts");
    assert.deepEqual(ok, { ok: true, text: "export const x = 1;\n" });
    const placeholder = newFileText("```ts\nexport const x = 1;\n// ... rest of the code ...\n```", 0, "src/x.ts");
    assert.match(placeholder.ok ? "" : placeholder.reason, /leaves parts out/);
    const cut = newFileText("```ts\nexport const x = 1;", 0, "src/x.ts");
    assert.match(cut.ok ? "" : cut.reason, /cut off/);
    const wrongLanguage = newFileText("```python\nx = 1\n```", 0, "src/x.ts");
    assert.match(wrongLanguage.ok ? "" : wrongLanguage.reason, /python, but x\.ts is a typescript file/);
    const shell = newFileText("```bash\nnpm test\n```", 0, "scripts/run.sh");
    assert.equal(shell.ok, false, "commands to run are not a file's code");
    const leak = newFileText("```ts\nI should check the reasoning carefully here first.\n```", 0, "src/x.ts", "I should check the reasoning carefully here first.");
    assert.equal(leak.ok, false, "a line of the reasoning is never written to a file");
    assert.equal(newFileText("no blocks", 0, "src/x.ts").ok, false);
});

// The pure helpers behind the chat's prompt box and links: @file ranking and the link policy.
import assert from "node:assert/strict";
import { test } from "node:test";
import { matchTier, normalizeFileHint, pathMatchesHint, rankFiles } from "../../../../src/core/chat/fileSearch";
import { checkLink } from "../../../../src/core/answer/linkPolicy";

const paths = ["src/cart.ts", "src/cartView.tsx", "test/cart.test.ts", "docs/shopping-cart.md", "src/core/carrot.ts", "README.md", "src/c/a/r/t.go"];

test("@file ranking: exact name, then prefix, then name contains, then path contains, then fuzzy", () => {
    assert.deepEqual(rankFiles(paths, "cart"), ["src/cart.ts", "src/cartView.tsx", "test/cart.test.ts", "docs/shopping-cart.md", "src/c/a/r/t.go", "src/core/carrot.ts"]);
    assert.equal(matchTier("src/cart.ts", "cart.ts"), 0);
    assert.equal(matchTier("src/core/carrot.ts", "core/"), 3);
    assert.equal(matchTier("src/core/carrot.ts", "scrt"), 4);
    assert.equal(matchTier("README.md", "cart"), undefined);
    assert.equal(rankFiles(paths, "CART.TS")[0], "src/cart.ts", "case is ignored");
});

test("@file ranking: backslashes match slashes, ties go to the shorter path, the limit holds", () => {
    assert.deepEqual(rankFiles(["a\\b\\x.ts", "y.ts"], "b/x"), ["a\\b\\x.ts"]);
    assert.deepEqual(rankFiles(["lib/deep/util.ts", "util.ts", "src/util.ts"], "util"), ["util.ts", "src/util.ts", "lib/deep/util.ts"]);
    assert.equal(rankFiles(Array.from({ length: 50 }, (_, i) => `f${i}.ts`), "f", 12).length, 12);
});

test("@ with nothing typed yet keeps the caller's order (open files first), without repeats", () => {
    assert.deepEqual(rankFiles(["open.ts", "a.ts", "open.ts", "b.ts"], "", 3), ["open.ts", "a.ts", "b.ts"]);
});

test("links: only absolute http(s) URLs without credentials", () => {
    assert.deepEqual(checkLink(" https://code.visualstudio.com/api "), { ok: true, url: "https://code.visualstudio.com/api", host: "code.visualstudio.com" });
    assert.equal(checkLink("http://localhost:8080/x").ok, true);
    for (const bad of ["command:workbench.action.terminal.new", "javascript:alert(1)", "file:///etc/passwd", "vscode://ms-python.python",
        "data:text/html,<script>x</script>", "/relative/path", "www.example.com", "mailto:a@b.c", "https://docs.example.com@evil.test/", "https://user:pw@example.com", ""]) {
        const r = checkLink(bad);
        assert.equal(r.ok, false, bad);
        assert.ok(!r.ok && r.reason.length > 5);
    }
    const js = checkLink("JavaScript:alert(1)");
    assert.ok(!js.ok && js.reason.includes("javascript:"));
});

test("a file path an answer gives names a workspace file by its trailing path segments", () => {
    assert.equal(normalizeFileHint(" ./src\\money.ts "), "src/money.ts");
    assert.equal(pathMatchesHint("/work/shop/src/money.ts", "src/money.ts"), true);
    assert.equal(pathMatchesHint("/work/shop/src/money.ts", "./money.ts"), true);
    assert.equal(pathMatchesHint("/work/shop/src/money.ts", "/src/money.ts"), true);
    assert.equal(pathMatchesHint("src/money.ts", "src/money.ts"), true);
    assert.equal(pathMatchesHint("/work/shop/src/pocketmoney.ts", "money.ts"), false, "only at a / boundary");
    assert.equal(pathMatchesHint("/work/shop/lib/money.ts", "src/money.ts"), false);
    assert.equal(pathMatchesHint("/work/shop/src/Money.ts", "money.ts"), false);
    assert.equal(pathMatchesHint("/work/shop/src/money.ts", "../src/money.ts"), false, "no parent steps");
    assert.equal(pathMatchesHint("/work/shop/src/money.ts", ""), false);
});

// Secrets never leave the model process in a log line or a message: registered keys, Authorization headers,
// Bearer tokens and URL passwords are replaced, whatever surrounds them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { REDACTED, SecretRedactor } from "../../../src/server/secretRedactor";

test("a registered key is replaced wherever it appears", () => {
    const r = new SecretRedactor();
    r.add("sk-abcdef123456");
    assert.equal(r.redact("key=sk-abcdef123456; again sk-abcdef123456."), `key=${REDACTED}; again ${REDACTED}.`);
    r.add("ab");
    assert.equal(r.redact("ab cd"), "ab cd", "too short to be a secret");
});

test("Authorization headers, Bearer tokens and URL passwords are replaced even when not registered", () => {
    const r = new SecretRedactor();
    assert.equal(r.redact("Authorization: Bearer xyz123"), `Authorization: ${REDACTED}`);
    assert.equal(r.redact('{"authorization":"Bearer t0k3n"}'), `{"authorization":"${REDACTED}"}`);
    assert.equal(r.redact("proxy-authorization=Basic dXNlcjpwYXNz"), `proxy-authorization=${REDACTED}`);
    assert.equal(r.redact("sent Bearer abc.def-ghi"), `sent Bearer ${REDACTED}`);
    assert.equal(r.redact("via http://user:secret@proxy:3128/"), `via http://user:${REDACTED}@proxy:3128/`);
    assert.equal(r.redact("no secrets at http://127.0.0.1:8000/v1"), "no secrets at http://127.0.0.1:8000/v1");
});

// Keeps secrets out of everything the model process writes: its log lines (window/logMessage and stderr) and the
// messages of the errors it returns. Remote engines' API keys are registered when a request carries one; any
// text is then scrubbed of them, and of whatever follows an Authorization / Proxy-Authorization header name or
// "Bearer", and of the password of a URL with credentials, whether or not that secret was registered.

export const REDACTED = "‹redacted›";

export class SecretRedactor {
    private readonly secrets = new Set<string>();

    /** Registers a secret (an API key) to scrub from now on. Very short values are not secrets worth the noise. */
    add(secret: string | undefined): void {
        const s = secret?.trim();
        if (s && s.length >= 4) this.secrets.add(s);
    }

    redact(text: string): string {
        let out = text;
        for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
        return out
            .replace(/\b((?:proxy-)?authorization)(["']?\s*[:=]\s*["']?)(?:(?:Bearer|Basic)\s+)?[^\s"',;}]+/gi, `$1$2${REDACTED}`)
            .replace(/\bBearer\s+[A-Za-z0-9._~+/=-]{4,}/g, `Bearer ${REDACTED}`)
            .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)[^\s/@]+@/gi, `$1${REDACTED}@`);
    }
}

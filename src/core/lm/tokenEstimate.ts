// Token counts for a remote engine, whose tokenizer R1 cannot run: an estimate from DeepSeek's published rule of
// thumb for its tokenizer ("1 English character ≈ 0.3 token, 1 Chinese character ≈ 0.6 token"), with every
// character outside ASCII counted like a Chinese one. Rounded up, at least 1 for any non-empty text. Local models
// are counted exactly by their own tokenizer (r1/countTokens).

export function estimateTokens(text: string): number {
    if (text.length === 0) return 0;
    let ascii = 0;
    let other = 0;
    for (const ch of text) {
        if (ch.charCodeAt(0) < 128) ascii++;
        else other++;
    }
    return Math.max(1, Math.ceil(ascii * 0.3 + other * 0.6));
}

// Byte counts as the user reads them, everywhere (catalog sizes, the model picker, download progress and errors,
// memory estimates, the status bar): decimal units (1 GB = 10^9 bytes) with three significant digits, "4.68 GB",
// "46.8 GB", "468 GB", "12.3 MB/s". Decimal, because Hugging Face shows file sizes so: the picker's size is the one
// on the model's page. Three digits, because that tells models and quantizations apart (4.36 GB vs 4.68 GB) and
// makes a download's progress move visibly (1.23 GB → 1.24 GB), while "4.680000 GB" or "4680 MB" would only be noise.
// Also the binary units the memory formulas count in (llama.cpp's buffers are sized in MiB).

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/** 4_680_000_000 → "4.68 GB"; 512 → "512 B"; 12_345_678 → "12.3 MB"; 999_999_999 → "1.00 GB" (never "1000 MB"). */
export function formatBytes(n: number): string {
    const units = ["B", "kB", "MB", "GB", "TB"];
    let v = n;
    let u = 0;
    // Round to three significant digits before choosing the unit, so 999.9 MB reads "1.00 GB".
    const rounded = (x: number): number => (Math.abs(x) >= 100 ? Math.round(x) : Math.abs(x) >= 10 ? Math.round(x * 10) / 10 : Math.round(x * 100) / 100);
    while (Math.abs(u === 0 ? Math.round(v) : rounded(v)) >= 1000 && u < units.length - 1) {
        v /= 1000;
        u++;
    }
    if (u === 0) return `${Math.round(v)} B`;
    const r = rounded(v);
    return `${Math.abs(r) >= 100 ? r.toFixed(0) : Math.abs(r) >= 10 ? r.toFixed(1) : r.toFixed(2)} ${units[u]}`;
}

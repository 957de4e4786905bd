// highlight.js ships no declarations for its per-language entry points; each one default-exports a LanguageFn.
declare module "highlight.js/lib/languages/*" {
    import type { LanguageFn } from "highlight.js";
    const language: LanguageFn;
    // eslint-disable-next-line no-restricted-syntax -- describes the package's own default export
    export default language;
}

// The theme variables and body classes VS Code gives a webview, for the themes the harness emulates
// (values from VS Code's Dark Modern, Light Modern and Dark High Contrast themes). Only the variables the
// reply view uses, plus those of VS Code's default webview stylesheet.

export type ThemeName = "dark" | "light" | "hc";

export interface HarnessTheme {
    bodyClass: string;
    /** The colour of the view container around the webview (the side bar). */
    background: string;
    vars: Record<string, string>;
}

const fonts = {
    "--vscode-font-family": "system-ui, -apple-system, \"Segoe UI\", \"Ubuntu\", \"Droid Sans\", sans-serif",
    "--vscode-font-size": "13px",
    "--vscode-font-weight": "normal",
    "--vscode-editor-font-family": "\"DejaVu Sans Mono\", \"Droid Sans Mono\", monospace",
    "--vscode-editor-font-size": "12px",
    "--vscode-editor-font-weight": "normal"
};

export const themes: Record<ThemeName, HarnessTheme> = {
    dark: {
        bodyClass: "vscode-dark",
        background: "#181818",
        vars: {
            ...fonts,
            "--vscode-foreground": "#cccccc",
            "--vscode-descriptionForeground": "#9d9d9d",
            "--vscode-editor-foreground": "#cccccc",
            "--vscode-editor-background": "#1f1f1f",
            "--vscode-sideBar-background": "#181818",
            "--vscode-widget-border": "#313131",
            "--vscode-chat-requestBorder": "#ffffff1a",
            "--vscode-chat-requestBackground": "#1f1f1f",
            "--vscode-focusBorder": "#0078d4",
            "--vscode-button-background": "#0078d4",
            "--vscode-button-foreground": "#ffffff",
            "--vscode-badge-background": "#616161",
            "--vscode-badge-foreground": "#f8f8f8",
            "--vscode-textLink-foreground": "#4daafc",
            "--vscode-textLink-activeForeground": "#4daafc",
            "--vscode-textPreformat-foreground": "#d0d0d0",
            "--vscode-textPreformat-background": "#3c3c3c",
            "--vscode-textBlockQuote-background": "#2b2b2b",
            "--vscode-textBlockQuote-border": "#616161",
            "--vscode-textCodeBlock-background": "#2b2b2b",
            "--vscode-toolbar-hoverBackground": "#5a5d5e50",
            "--vscode-icon-foreground": "#cccccc",
            "--vscode-editorInfo-foreground": "#3794ff",
            "--vscode-editorWarning-foreground": "#cca700",
            "--vscode-errorForeground": "#f85149",
            "--vscode-progressBar-background": "#0078d4",
            "--vscode-testing-iconPassed": "#73c991",
            "--vscode-keybindingTable-headerBackground": "#cccccc0a",
            "--vscode-sideBarSectionHeader-background": "#181818",
            "--vscode-input-background": "#313131",
            "--vscode-input-foreground": "#cccccc",
            "--vscode-input-border": "#3c3c3c",
            "--vscode-input-placeholderForeground": "#989898",
            "--vscode-scrollbarSlider-background": "#79797966",
            "--vscode-scrollbarSlider-hoverBackground": "#646464b3",
            "--vscode-scrollbarSlider-activeBackground": "#bfbfbf66"
        }
    },
    light: {
        bodyClass: "vscode-light",
        background: "#f8f8f8",
        vars: {
            ...fonts,
            "--vscode-foreground": "#3b3b3b",
            "--vscode-descriptionForeground": "#717171",
            "--vscode-editor-foreground": "#3b3b3b",
            "--vscode-editor-background": "#ffffff",
            "--vscode-sideBar-background": "#f8f8f8",
            "--vscode-widget-border": "#e5e5e5",
            "--vscode-chat-requestBorder": "#0000001a",
            "--vscode-chat-requestBackground": "#ffffff",
            "--vscode-focusBorder": "#005fb8",
            "--vscode-button-background": "#005fb8",
            "--vscode-button-foreground": "#ffffff",
            "--vscode-badge-background": "#cccccc",
            "--vscode-badge-foreground": "#3b3b3b",
            "--vscode-textLink-foreground": "#005fb8",
            "--vscode-textLink-activeForeground": "#005fb8",
            "--vscode-textPreformat-foreground": "#3b3b3b",
            "--vscode-textPreformat-background": "#0000001f",
            "--vscode-textBlockQuote-background": "#f8f8f8",
            "--vscode-textBlockQuote-border": "#e5e5e5",
            "--vscode-textCodeBlock-background": "#f8f8f8",
            "--vscode-toolbar-hoverBackground": "#b8b8b850",
            "--vscode-icon-foreground": "#3b3b3b",
            "--vscode-editorInfo-foreground": "#1a85ff",
            "--vscode-editorWarning-foreground": "#bf8803",
            "--vscode-errorForeground": "#f85149",
            "--vscode-progressBar-background": "#005fb8",
            "--vscode-testing-iconPassed": "#388a34",
            "--vscode-keybindingTable-headerBackground": "#3b3b3b0a",
            "--vscode-sideBarSectionHeader-background": "#f8f8f8",
            "--vscode-input-background": "#ffffff",
            "--vscode-input-foreground": "#3b3b3b",
            "--vscode-input-border": "#cecece",
            "--vscode-input-placeholderForeground": "#767676",
            "--vscode-scrollbarSlider-background": "#64646466",
            "--vscode-scrollbarSlider-hoverBackground": "#646464b3",
            "--vscode-scrollbarSlider-activeBackground": "#00000099"
        }
    },
    hc: {
        bodyClass: "vscode-high-contrast",
        background: "#000000",
        vars: {
            ...fonts,
            "--vscode-foreground": "#ffffff",
            "--vscode-descriptionForeground": "#ffffffb3",
            "--vscode-editor-foreground": "#ffffff",
            "--vscode-editor-background": "#000000",
            "--vscode-sideBar-background": "#000000",
            "--vscode-contrastBorder": "#6fc3df",
            "--vscode-contrastActiveBorder": "#f38518",
            "--vscode-widget-border": "#6fc3df",
            "--vscode-focusBorder": "#f38518",
            "--vscode-button-background": "#000000",
            "--vscode-button-foreground": "#ffffff",
            "--vscode-badge-background": "#000000",
            "--vscode-badge-foreground": "#ffffff",
            "--vscode-textLink-foreground": "#21a6ff",
            "--vscode-textLink-activeForeground": "#21a6ff",
            "--vscode-textPreformat-foreground": "#ffd700",
            "--vscode-textPreformat-background": "#000000",
            "--vscode-textBlockQuote-background": "#000000",
            "--vscode-textBlockQuote-border": "#ffffff",
            "--vscode-textCodeBlock-background": "#000000",
            "--vscode-icon-foreground": "#ffffff",
            "--vscode-editorInfo-foreground": "#3794ff",
            "--vscode-editorWarning-foreground": "#ffd370",
            "--vscode-errorForeground": "#f48771",
            "--vscode-progressBar-background": "#6fc3df",
            "--vscode-testing-iconPassed": "#73c991",
            "--vscode-input-background": "#000000",
            "--vscode-input-foreground": "#ffffff",
            "--vscode-input-border": "#6fc3df",
            "--vscode-input-placeholderForeground": "#ffffffb3",
            "--vscode-scrollbarSlider-background": "#6fc3df99",
            "--vscode-scrollbarSlider-hoverBackground": "#6fc3dfcc",
            "--vscode-scrollbarSlider-activeBackground": "#6fc3df"
        }
    }
};

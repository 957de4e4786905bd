// A small logger over VS Code's LogOutputChannel ("R1 Reasoner" in the Output panel, "R1: Show Logs").
import * as vscode from "vscode";

export class Log implements vscode.Disposable {
    readonly channel: vscode.LogOutputChannel;

    constructor(name = "R1 Reasoner") {
        this.channel = vscode.window.createOutputChannel(name, { log: true });
    }

    info(message: string): void {
        this.channel.info(message);
    }

    warn(message: string): void {
        this.channel.warn(message);
    }

    error(message: string | Error): void {
        this.channel.error(message instanceof Error ? (message.stack ?? message.message) : message);
    }

    show(): void {
        this.channel.show(true);
    }

    dispose(): void {
        this.channel.dispose();
    }
}

// Errors meant for the user: each names the file and says what to do. server.ts turns them into LSP
// ResponseErrors with the code from ErrorCodes, so clients can react without parsing the text.
import { type ErrorCodes } from "../shared/lspProtocol";

export type ModelErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export class ModelError extends Error {
    constructor(readonly code: ModelErrorCode, message: string) {
        super(message);
    }
}

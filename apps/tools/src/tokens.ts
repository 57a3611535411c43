/** Injection tokens of the tools app. */
export const TOOL_RUNNER = Symbol('TOOL_RUNNER');

export type { CliErrorCode } from './errors.js';
export { CliError } from './errors.js';
export type { CliIo } from './output.js';
export { formatIssue } from './output.js';
export { runCli } from './main.js';

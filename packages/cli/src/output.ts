import { redactText } from '@iiot/core';

/** Where a command writes; tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** Standard output and error. */
export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

interface IssueLike {
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  hint?: string;
}

/** One issue as `file:line:col: code: message (hint)`, the form editors and CI logs link to. */
export function formatIssue(issue: IssueLike): string {
  const where = [issue.file ?? '<input>', issue.line ?? 0, issue.column ?? 0].join(':');
  return `${where}: ${issue.code}: ${issue.message}${issue.hint ? ` (${issue.hint})` : ''}`;
}

/** Lines describing an error: each issue of a commissioning error, or the code and message of any other. */
export function describeError(error: unknown): string[] {
  const issues = (error as { issues?: unknown }).issues;
  if (Array.isArray(issues) && issues.length > 0) return issues.map((i) => redactText(formatIssue(i as IssueLike)));
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return [redactText(typeof code === 'string' ? `${code}: ${message}` : message)];
}

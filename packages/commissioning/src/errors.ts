import { IiotError } from '@iiot/core';

/** What kind of problem an issue is; callers branch on this, never on the message. */
export type IssueCode =
  | 'YAML_SYNTAX'
  | 'DUPLICATE_KEY'
  | 'DOCUMENT_TOO_LARGE'
  | 'ALIAS_LIMIT'
  | 'FORBIDDEN_KEY'
  | 'UNKNOWN_TAG'
  | 'TAG_MISPLACED'
  | 'UNKNOWN_REFERENCE'
  | 'REFERENCE_CYCLE'
  | 'SUBSTITUTION_INVALID'
  | 'SUB_TAG_MISSING'
  | 'DUPLICATE_NAME'
  | 'PSEUDO_PARAMETER_UNAVAILABLE'
  | 'SERVICE_ID_INVALID'
  | 'PARAMETER_SPEC_INVALID'
  | 'PARAMETER_MISSING'
  | 'PARAMETER_INVALID'
  | 'PARAMETER_UNKNOWN'
  | 'UNKNOWN_RESOURCE_TYPE'
  | 'UNKNOWN_PROTOCOL'
  | 'UNKNOWN_PROPERTY'
  | 'MISSING_PROPERTY'
  | 'CONFLICTING_PROPERTIES'
  | 'INVALID_VALUE'
  | 'EXPECTED_REFERENCE'
  | 'WRONG_REFERENCE_KIND'
  | 'JSONATA_SYNTAX'
  | 'TOPIC_FILTER_INVALID'
  | 'TOPIC_NAME_INVALID'
  | 'TOPIC_TEMPLATE_INVALID'
  | 'PUBLISH_NAME_NOT_CAPTURED';

/** One problem in a commissioning file, with the place of the offending node. */
export interface CommissioningIssue {
  readonly code: IssueCode;
  /** What is wrong; never contains a secret value. */
  readonly message: string;
  /** The file name given in the options, or `<input>`. */
  readonly file: string;
  /** 1-based line of the offending node. */
  readonly line: number;
  /** 1-based column of the offending node. */
  readonly column: number;
  /** Where in the document, for example `resources.awsMqttConnection.properties.connection.port`. */
  readonly path: string;
  /** What to do about it, for example `did you mean awsMqttConnection?`. */
  readonly hint?: string;
}

/** Codes of `CommissioningError`. */
export type CommissioningErrorCode = 'COMMISSIONING_INVALID' | 'COMMISSIONING_FILE_UNREADABLE';

/** Thrown when a commissioning file cannot be used; `issues` lists every problem found, not only the first. */
export class CommissioningError extends IiotError<CommissioningErrorCode> {
  readonly issues: readonly CommissioningIssue[];

  constructor(
    code: CommissioningErrorCode,
    message: string,
    issues: readonly CommissioningIssue[],
    options: { cause?: unknown } = {},
  ) {
    super(code, message, { cause: options.cause, details: { issueCount: issues.length } });
    this.issues = issues;
  }
}

/** `file:line:column code message (hint)`, one line per issue. */
export function formatIssue(issue: CommissioningIssue): string {
  const hint = issue.hint ? ` (${issue.hint})` : '';
  return `${issue.file}:${issue.line}:${issue.column} ${issue.code} ${issue.message}${hint}`;
}

export function invalidFileError(issues: readonly CommissioningIssue[]): CommissioningError {
  const shown = issues.slice(0, 20).map(formatIssue);
  const more = issues.length > shown.length ? `\n… and ${issues.length - shown.length} more` : '';
  const file = issues[0]?.file ?? '<input>';
  return new CommissioningError(
    'COMMISSIONING_INVALID',
    `${file} has ${issues.length} problem${issues.length === 1 ? '' : 's'}; fix them and validate again:\n${shown.join('\n')}${more}`,
    issues,
  );
}

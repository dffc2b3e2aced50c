import { IiotError, type IiotErrorOptions } from '@iiot/core';

/** Codes raised by `@iiot/twin-graph`. */
export type TwinErrorCode =
  | 'TWIN_DEFINITION_INVALID'
  | 'TWIN_CYCLE'
  | 'TWIN_REFERENCE_UNKNOWN'
  | 'TWIN_EXPRESSION_INVALID'
  | 'TWIN_NOT_FOUND'
  | 'TWIN_ACCESS_DENIED'
  | 'TWIN_NOT_WRITABLE'
  | 'TWIN_WRITE_FAILED';

/** One problem found while loading a twin graph. */
export interface TwinProblem {
  code: Extract<TwinErrorCode, 'TWIN_DEFINITION_INVALID' | 'TWIN_CYCLE' | 'TWIN_REFERENCE_UNKNOWN' | 'TWIN_EXPRESSION_INVALID'>;
  /** Where: a twin or property path, or a policy entry. */
  at: string;
  message: string;
}

/** A twin graph definition that cannot be loaded; `problems` lists every problem found, not only the first. */
export class TwinConfigError extends IiotError<TwinErrorCode> {
  readonly problems: readonly TwinProblem[];

  constructor(problems: readonly TwinProblem[], options: IiotErrorOptions = {}) {
    const shown = problems.slice(0, 5).map((p) => `  ${p.at}: ${p.message}`);
    if (problems.length > 5) shown.push(`  … and ${problems.length - 5} more`);
    super(
      problems[0]?.code ?? 'TWIN_DEFINITION_INVALID',
      `The twin graph has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${shown.join('\n')}`,
      { ...options, details: { ...options.details, problems } },
    );
    this.problems = problems;
  }
}

/** A read, write or query the caller may not make, or of a path that does not exist. */
export class TwinAccessError extends IiotError<TwinErrorCode> {}

// Messages for the run-time error codes. Callers branch on `code`; the text only explains it to people.
const MESSAGES: Record<string, string> = {
  T0410: 'Argument {{index}} of function {{token}} does not match the function signature',
  T0411: 'The context value is not a compatible type for argument {{index}} of function {{token}}',
  T0412: 'Argument {{index}} of function {{token}} must be an array of {{type}}',
  D1001: 'Number out of range: {{value}}',
  D1002: 'Cannot negate a non-numeric value: {{value}}',
  T1003: 'A key in an object constructor must evaluate to a string; got: {{value}}',
  D1004: 'Regular expression matches a zero length string',
  T1005: 'Attempted to invoke a non-function: is a $ missing in front of {{token}}?',
  T1006: 'Attempted to invoke a non-function',
  T1007: 'Attempted to partially apply a non-function: is a $ missing in front of {{token}}?',
  T1008: 'Attempted to partially apply a non-function',
  D1009: 'Several key expressions evaluate to the same key: {{value}}',
  T1010: 'The matcher function passed to {{token}} does not return a match structure',
  D1011: 'Stack overflow: more than {{value}} nested function calls. Check for non-terminating recursion',
  D1012: 'Evaluation timeout after {{value}} milliseconds. Check for an infinite loop',
  D1013: 'Object property names starting with _jsonata_ are reserved: {{value}}',
  T2001: 'The left side of the {{token}} operator must evaluate to a number',
  T2002: 'The right side of the {{token}} operator must evaluate to a number',
  T2003: 'The left side of the range operator (..) must evaluate to an integer',
  T2004: 'The right side of the range operator (..) must evaluate to an integer',
  T2006: 'The right side of the function application operator ~> must be a function',
  T2007: 'Type mismatch when comparing {{value}} and {{value2}} in an order-by clause',
  T2008: 'The expressions of an order-by clause must evaluate to numbers or strings',
  T2009: 'The values {{value}} and {{value2}} either side of operator {{token}} must be of the same type',
  T2010: 'The expressions either side of operator {{token}} must evaluate to numbers or strings',
  T2011: 'The update clause of a transform expression must evaluate to an object: {{value}}',
  T2012: 'The delete clause of a transform expression must evaluate to a string or array of strings: {{value}}',
  T2013: 'The transform expression needs $clone, which has been rebound to a non-function',
  D2014: 'The range operator (..) may allocate at most 1e7 items; attempted {{value}}',
  D3001: 'A string function was applied to Infinity or NaN',
  D3010: 'The second argument of $replace cannot be an empty string',
  D3011: 'The fourth argument of $replace must be a positive number',
  D3012: 'A matched string was replaced with a non-string value',
  D3020: 'The third argument of $split must be a positive number',
  D3030: 'Unable to cast value to a number: {{value}}',
  D3040: 'The third argument of $match must be a positive number',
  D3050: 'The second argument of $reduce must be a function of at least two arguments',
  D3060: 'The $sqrt function cannot be applied to a negative number: {{value}}',
  D3061: 'The $power function has resulted in a value that is not a JSON number',
  D3070: 'Without a comparison function, $sort applies only to an array of strings or of numbers',
  D3100: 'The radix of $formatBase must be between 2 and 36; it was {{value}}',
  D3110: 'The argument of $toMillis must be an ISO 8601 timestamp; given {{value}}',
  D3120: 'Syntax error in the expression passed to $eval: {{value}}',
  D3121: 'Error evaluating the expression passed to $eval: {{value}}',
  D3138: 'The $single() function expected exactly 1 matching result; it matched more',
  D3139: 'The $single() function expected exactly 1 matching result; it matched 0',
};

/** Gives a JSONata error thrown on the compiled path its message, as jsonata-js does on the way out. */
export function finishError(err: unknown): { message: string } {
  if (err === null || typeof err !== 'object') return { message: String(err) };
  const e = err as Record<string, unknown> & { message?: string; code?: string };
  if (typeof e.code !== 'string' || (typeof e.message === 'string' && e.message !== '')) {
    return e as { message: string };
  }
  const template = MESSAGES[e.code];
  e.message = template
    ? template.replace(/\{\{(\w+)\}\}/g, (_m, field: string) =>
        field === 'token' ? String(e.token) : (JSON.stringify(e[field]) ?? 'undefined'),
      )
    : `JSONata error ${e.code}`;
  return e as { message: string };
}

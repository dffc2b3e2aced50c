export {
  type CompiledExpression,
  type CompileOptions,
  compile,
  type InterpretedExpression,
  type JsonataExpression,
} from './compile.js';

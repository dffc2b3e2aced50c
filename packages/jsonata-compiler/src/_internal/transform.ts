// `| pattern | update, delete |`: a function that copies its argument and changes the matched parts.
import { apply, type Evaluator } from './apply.js';
import { transformSignature } from './builtins.js';
import type { AstNode, NodeCompiler } from './node.js';
import { isArrayOfStrings, isFunction, jsonataError } from './values.js';

/** Compiles a transform expression into a function value with signature `<(oa):o>`. */
export function compileTransform(node: AstNode, compile: NodeCompiler): Evaluator {
  const pattern = compile(node.pattern as AstNode);
  const update = compile(node.update as AstNode);
  const updateNode = node.update as AstNode;
  const deleteNode = node.delete as AstNode | undefined;
  const remove = deleteNode ? compile(deleteNode) : undefined;
  return (_input, env) => {
    const transformer = (obj: unknown): unknown => {
      if (obj === undefined) return undefined;
      const cloneFunction = env.lookup('clone');
      if (!isFunction(cloneFunction)) throw jsonataError('T2013', { position: node.position });
      const result = apply(cloneFunction, [obj], null, env);
      let matches = pattern(result, env);
      if (matches === undefined) return result;
      if (!Array.isArray(matches)) matches = [matches];
      for (const match of matches as Record<string, unknown>[]) {
        const changes = update(match, env);
        if (changes !== undefined) {
          if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) {
            throw jsonataError('T2011', { position: updateNode.position, value: changes });
          }
          for (const prop of Object.keys(changes)) match[prop] = (changes as Record<string, unknown>)[prop];
        }
        if (!remove) continue;
        const deletions = remove(match, env);
        if (deletions === undefined) continue;
        const names = Array.isArray(deletions) ? deletions : [deletions];
        if (!isArrayOfStrings(names)) throw jsonataError('T2012', { position: deleteNode!.position, value: deletions });
        if (typeof match === 'object' && match !== null) for (const name of names) delete match[name as string];
      }
      return result;
    };
    return { _jsonata_function: true, implementation: transformer, signature: transformSignature };
  };
}

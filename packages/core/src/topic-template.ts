import { IiotError } from './errors.js';

/** A compiled publish-topic template. */
export interface TopicTemplate {
  readonly source: string;
  /** The names the template substitutes, in order of first use. */
  readonly names: readonly string[];
  /** The topic for these variables; throws `TOPIC_TEMPLATE_UNKNOWN_NAME` if one it needs is missing. */
  render(vars: Readonly<Record<string, unknown>> | undefined): string;
}

export interface TopicTemplateOptions {
  /**
   * The names available when the template is rendered (the subscription's captures plus variables set by
   * rules). When given, a reference to any other name is an error now rather than when a message arrives.
   */
  names?: Iterable<string>;
}

type Part = string | { readonly name: string };

const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z0-9_]/;

/**
 * Compiles a publish topic such as `TestDevice/$topic` or `plant/{line}/out`. `$$` is a literal `$`.
 * A `$word` at the very start is MQTT's reserved prefix (`$aws/…`) unless `word` is a known name; use
 * `{word}` to substitute there unambiguously.
 */
export function compileTopicTemplate(template: string, options: TopicTemplateOptions = {}): TopicTemplate {
  const known = options.names === undefined ? undefined : new Set(options.names);
  const parts: Part[] = [];
  let text = '';
  const pushName = (name: string, at: number) => {
    if (known && !known.has(name)) {
      const available = [...known];
      throw new IiotError(
        'TOPIC_TEMPLATE_UNKNOWN_NAME',
        `Publish topic "${template}" uses "${name}" (at character ${at + 1}), which the subscription does not capture. ` +
          (available.length
            ? `Available: ${available.join(', ')}.`
            : 'Name a wildcard in the subscribe topic (for example +name or #name), or set it with setContextVars.'),
        { details: { template, name } },
      );
    }
    if (text) parts.push(text);
    text = '';
    parts.push({ name });
  };

  let i = 0;
  while (i < template.length) {
    const c = template[i]!;
    if (c === '$') {
      if (template[i + 1] === '$') {
        text += '$';
        i += 2;
        continue;
      }
      let j = i + 1;
      if (j < template.length && IDENT_START.test(template[j]!)) {
        while (j < template.length && IDENT.test(template[j]!)) j++;
        const name = template.slice(i + 1, j);
        if (i === 0 && !(known?.has(name) ?? false)) text += template.slice(i, j);
        else pushName(name, i);
        i = j;
        continue;
      }
      text += c;
      i++;
      continue;
    }
    if (c === '{') {
      const close = template.indexOf('}', i);
      const name = close < 0 ? '' : template.slice(i + 1, close);
      if (name && IDENT_START.test(name[0]!) && [...name].every((ch) => IDENT.test(ch))) {
        pushName(name, i);
        i = close + 1;
        continue;
      }
      if (close >= 0 && name === '') {
        throw new IiotError('TOPIC_TEMPLATE_INVALID', `Publish topic "${template}" has an empty {} at character ${i + 1}.`, {
          details: { template },
        });
      }
    }
    text += c;
    i++;
  }
  if (text) parts.push(text);

  const names = [...new Set(parts.filter((p): p is { name: string } => typeof p !== 'string').map((p) => p.name))];
  const frozen = parts;
  if (frozen.every((p) => typeof p === 'string')) {
    const constant = frozen.join('');
    return { source: template, names, render: () => constant };
  }
  return {
    source: template,
    names,
    render(vars) {
      let out = '';
      for (const part of frozen) {
        if (typeof part === 'string') {
          out += part;
          continue;
        }
        const value = vars?.[part.name];
        if (value === undefined || value === null) {
          throw new IiotError(
            'TOPIC_TEMPLATE_UNKNOWN_NAME',
            `Publish topic "${template}" needs "${part.name}", which this message does not carry.`,
            { details: { template, name: part.name } },
          );
        }
        out += String(value);
      }
      return out;
    },
  };
}


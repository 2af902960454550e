/**
 * A small YAML writer for generated fragments: block and flow style, two or four spaces,
 * sequences indented under their key or not, anchors, aliases, merge keys, block scalars and
 * comments, so the generators describe a file as data and the writer produces the text a
 * person would have typed. It also gives the same data as JSON (for `.json` manifests).
 */
export type Y =
  | { t: 's'; raw: string; js: unknown }
  | { t: 'm'; items: P[]; flow?: boolean; anchor?: string }
  | { t: 'q'; items: Y[]; flow?: boolean; anchor?: string }
  | { t: 'a'; name: string }
  | { t: 'b'; header: '|' | '>' | '|-' | '>-'; lines: string[] };

export interface P {
  key: string;
  value: Y | null;
  /** An end-of-line comment after the value (or after `key:` when the value is a block). */
  comment?: string;
  /** A comment line above the pair. */
  above?: string;
}

export interface Style {
  indent: 2 | 4;
  /** `- item` indented under its key (true) or at the key's column (false). */
  seqIndent: boolean;
}

const bare = (s: string) => s.replace(/[\uE000\uE001]/g, '');
const PLAIN = /^[A-Za-z0-9_/$][A-Za-z0-9_./@$-]*(?:[ :=+][A-Za-z0-9_./@$-]+)*$/;

/** A string value as YAML would need it written: plain when that is safe and means a string, else double-quoted. */
export function str(value: string, force?: 'plain' | 'single' | 'double'): Y {
  const b = bare(value);
  const plainOk = PLAIN.test(b) && !b.includes(': ') && !/^(?:true|false|yes|no|on|off|null|~|y|n|[-+]?[0-9][0-9_.:eE+-]*)$/i.test(b);
  let raw: string;
  if (force === 'single' && !/[\n]/.test(b)) raw = `'${value.replace(/'/g, "''")}'`;
  else if ((force === 'plain' && PLAIN.test(b)) || (force === undefined && plainOk)) raw = value;
  else raw = JSON.stringify(value);
  return { t: 's', raw, js: value };
}

/** A scalar written exactly as given (numbers, booleans, unquoted oddities). */
export function raw(text: string, js: unknown = text): Y {
  return { t: 's', raw: text, js };
}

export const map = (items: P[], flow = false, anchor?: string): Y => ({ t: 'm', items, flow, anchor });
export const seq = (items: Y[], flow = false, anchor?: string): Y => ({ t: 'q', items, flow, anchor });
export const alias = (name: string): Y => ({ t: 'a', name });
export const pair = (key: string, value: Y | null, extra: Partial<P> = {}): P => ({ key, value, ...extra });

function keyText(k: string): string {
  return /^[A-Za-z0-9_<][A-Za-z0-9_./<-]*$/.test(k) ? k : JSON.stringify(k);
}

const sp = (n: number) => ' '.repeat(n);
const com = (c?: string) => (c ? ` # ${c}` : '');

export function flow(v: Y | null): string {
  if (v === null) return 'null';
  switch (v.t) {
    case 's':
      return v.raw;
    case 'a':
      return `*${v.name}`;
    case 'b':
      return JSON.stringify(v.lines.join('\n'));
    case 'm':
      return `${v.anchor ? `&${v.anchor} ` : ''}{${v.items.map((p) => `${keyText(p.key)}: ${flow(p.value)}`).join(', ')}}`;
    case 'q':
      return `${v.anchor ? `&${v.anchor} ` : ''}[${v.items.map(flow).join(', ')}]`;
  }
}

/** The text after `key:` (or `- `) for a value at indentation `ind`, ending in a newline. */
function after(v: Y | null, ind: number, st: Style, comment?: string): string {
  if (v === null) return `${com(comment)}\n`;
  switch (v.t) {
    case 's':
    case 'a':
      return ` ${flow(v)}${com(comment)}\n`;
    case 'b':
      return ` ${v.header}${com(comment)}\n${v.lines.map((l) => (l === '' ? '' : sp(ind + st.indent) + l)).join('\n')}\n`;
    case 'm':
      if (v.flow || v.items.length === 0) return ` ${flow(v)}${com(comment)}\n`;
      return `${v.anchor ? ` &${v.anchor}` : ''}${com(comment)}\n${mapBlock(v.items, ind + st.indent, st)}`;
    case 'q':
      if (v.flow || v.items.length === 0) return ` ${flow(v)}${com(comment)}\n`;
      return `${v.anchor ? ` &${v.anchor}` : ''}${com(comment)}\n${seqBlock(v.items, st.seqIndent ? ind + st.indent : ind, st)}`;
  }
}

function mapBlock(items: P[], ind: number, st: Style): string {
  let out = '';
  for (const p of items) {
    if (p.above) out += `${sp(ind)}# ${p.above}\n`;
    out += `${sp(ind)}${keyText(p.key)}:${after(p.value, ind, st, p.comment)}`;
  }
  return out;
}

function seqBlock(items: Y[], ind: number, st: Style): string {
  let out = '';
  for (const item of items) {
    if (item.t === 'm' && !item.flow && item.items.length > 0 && !item.anchor) {
      const first = { ...item.items[0], above: undefined };
      const body = mapBlock([first, ...item.items.slice(1)], ind + 2, st);
      out += `${sp(ind)}- ${body.slice(ind + 2)}`;
    } else if (item.t === 'q' && !item.flow) {
      out += `${sp(ind)}- ${flow(item)}\n`;
    } else if (item.t === 'b') {
      out += `${sp(ind)}- ${item.header}\n${item.lines.map((l) => (l === '' ? '' : sp(ind + 2) + l)).join('\n')}\n`;
    } else {
      out += `${sp(ind)}-${after(item, ind, st)}`;
    }
  }
  return out;
}

/** A whole document from its top-level map. */
export function render(root: P[], st: Style): string {
  return mapBlock(root, 0, st);
}

/** The same data as JSON (aliases and merges are not used for JSON documents). */
export function toJS(v: Y | null): unknown {
  if (v === null) return null;
  switch (v.t) {
    case 's':
      return v.js;
    case 'a':
      return null;
    case 'b':
      return v.lines.join('\n');
    case 'm':
      return Object.fromEntries(v.items.filter((p) => p.key !== '<<').map((p) => [p.key, toJS(p.value)]));
    case 'q':
      return v.items.map(toJS);
  }
}

/** JSON text keeping the secret marks (JSON.stringify leaves private-use characters alone). */
export function renderJson(root: P[]): string {
  return `${JSON.stringify(toJS(map(root)), null, 2)}\n`;
}

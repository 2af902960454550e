/**
 * The documentation pages installed with Bulkhead (docs/rules/<id>.md beside dist/ in the
 * extension and the package). Links to them work offline and always exist; there is no web
 * copy to point at.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';

/** Where docs/rules is: beside dist/ (bundles), or the repository's when run from out/ (tests). */
function rulesFolder(): string | null {
  const candidates = [path.resolve(__dirname, '..', 'docs', 'rules'), path.resolve(__dirname, '..', '..', '..', '..', 'docs', 'rules')];
  return candidates.find((d) => fs.existsSync(d)) ?? null;
}

let folder: string | null | undefined;

/** The file path of a rule's page, or null when the page is not installed. */
export function docsFile(id: string): string | null {
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) return null;
  folder ??= rulesFolder();
  if (!folder) return null;
  const f = path.join(folder, `${id}.md`);
  return fs.existsSync(f) ? f : null;
}

const pages = new Map<string, string | undefined>();

/** The `file:` URI of a rule's page, or undefined when it is not installed (looked up once per rule, not per diagnostic). */
export function docsPage(id: string): string | undefined {
  if (pages.has(id)) return pages.get(id);
  const f = docsFile(id);
  const page = f ? URI.file(f).toString() : undefined;
  if (pages.size < 256) pages.set(id, page);
  return page;
}

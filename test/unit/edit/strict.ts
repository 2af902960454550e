/**
 * The check every fixed text of the edit-layer tests passes: each document of the output
 * parses with `uniqueKeys: true` (a duplicate key is an error) and without any error or
 * warning.
 */
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { splitDocuments } from '../../../server/src/core/parse/yaml';

export function assertParsesStrictly(text: string): void {
  for (const part of splitDocuments(text)) {
    const doc = parseDocument(part.text, { uniqueKeys: true, prettyErrors: false });
    assert.deepEqual(
      doc.errors.map((e) => e.message),
      [],
      `the output must parse strictly:\n${text}`,
    );
  }
}

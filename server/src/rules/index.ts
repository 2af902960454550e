import { createEngine } from '../core/engine';
import type { Rule } from '../core/rule';
import { rule as noRootUser } from './no-root-user';

/** The rule registry: a new rule is one folder and one line here. */
export const rules: readonly Rule[] = [noRootUser];

export const engine = createEngine(rules);

// The Dockerfile/Compose scenarios of test/e2e/scenarios.mjs (code-server), for the vscode API suite.
// Keep the two lists in step: add a scenario in both when a rule lands.
export interface Scenario {
  name: string;
  file: string;
  languageId: string;
  /** A diagnostic with this code must appear (none required when undefined). */
  rule?: string;
  message?: string;
  fixTitle?: string;
  expectedOnDisk?: RegExp;
  /** After the fix, the rule's diagnostic (with `message`) must be gone. */
  clears?: boolean;
  /** A file whose diagnostic must still arrive after this one was opened (the server is up). */
  serverAliveAfter?: string;
  /** Text that must never appear in a diagnostic message. */
  forbiddenText?: string;
  skip?: string;
}

const USER_FIX_TITLE = 'Run as USER 10001:10001 (files the app needs must be readable by uid 10001)';
const NO_USER_MESSAGE = 'The final stage sets no USER';

export const SCENARIOS: Scenario[] = [
  {
    name: 'Dockerfile: diagnostic and quick fix USER',
    file: 'Dockerfile',
    languageId: 'dockerfile',
    rule: 'no-root-user',
    message: NO_USER_MESSAGE,
    fixTitle: USER_FIX_TITLE,
    expectedOnDisk: /\nUSER 10001:10001\r?\n# start the service\r?\n/,
    clears: true,
  },
  {
    name: 'Dockerfile: quick fix "Ignore no-root-user on this line"',
    file: 'ignore/Dockerfile',
    languageId: 'dockerfile',
    rule: 'no-root-user',
    message: NO_USER_MESSAGE,
    fixTitle: 'Ignore no-root-user on this line',
    expectedOnDisk: /\n# bulkhead-ignore no-root-user\r?\nFROM node:\$\{NODE_VERSION\}-slim\r?\n/,
    clears: true,
  },
  {
    name: 'compose.yaml: dockercompose, no-root-user on a service, ignore fix, server stays up',
    file: 'compose.yaml',
    languageId: 'dockercompose',
    rule: 'no-root-user',
    message: "Service 'worker' sets no user",
    fixTitle: 'Ignore no-root-user on this line',
    expectedOnDisk: /\n  # bulkhead-ignore no-root-user\r?\n  worker:\r?\n/,
    clears: true,
    serverAliveAfter: 'after-compose/Dockerfile',
  },
  {
    name: 'secret value never shown in a diagnostic',
    file: 'secrets/Dockerfile',
    languageId: 'dockerfile',
    rule: 'no-hardcoded-secrets',
    forbiddenText: 'sk_live_51HxDemoOnlyNotARealKey00000000',
  },
];

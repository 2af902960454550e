// What the real-editor tests expect, as data. Add a scenario here when a rule lands; the editors'
// drivers (vscode.mjs, terminal.mjs) only know how to carry these out.
//
// file:            path inside the test workspace (a copy of examples/, see WORKSPACE_FILES)
// languageId:      the language id the editor must give the file
// expectSquiggle:  true: a warning squiggle must appear (then message/fixTitle are checked);
//                  false: none is required (the file must open and the server must stay up)
// rule, message:   the diagnostic's code and the start of its message: its Problems row is found
//                  (and gives the line of its squiggle); after a fix the row must be gone
// hover:           hover the rule's squiggle: the hover shows the message
// fixTitle:        the quick fix to pick from Ctrl+. (exact title)
// expectedOnDisk:  after the fix and Ctrl+S, the file on disk must match this RegExp
// forbiddenText:   text that must never be shown in the Problems panel (any row of the file) or
//                  the rule's hover
// skip:            a reason; the scenario is listed as skipped until the feature lands

export const USER_FIX_TITLE = 'Run as USER 10001:10001 (files the app needs must be readable by uid 10001)';
export const NO_USER_MESSAGE = 'The final stage sets no USER';

/** Files copied from examples/ into every VS Code workspace; `to` may repeat a file in a subfolder. */
export const WORKSPACE_FILES = [
  { from: 'examples/Dockerfile', to: 'Dockerfile' },
  { from: 'examples/Dockerfile', to: 'ignore/Dockerfile' },
  { from: 'examples/Dockerfile', to: 'after-compose/Dockerfile' },
  { from: 'examples/Dockerfile', to: 'secrets/Dockerfile' },
  { from: 'examples/compose.yaml', to: 'compose.yaml' },
  { from: 'examples/deployment.yaml', to: 'deployment.yaml' },
  { from: 'test/e2e/fixtures/root.Dockerfile', to: 'status/Dockerfile' },
  { from: 'test/e2e/fixtures/root.Dockerfile', to: 'status-invalid/Dockerfile' },
  { from: 'test/e2e/fixtures/invalid.bulkhead.yaml', to: 'status-invalid/.bulkhead.yaml' },
  { from: 'examples/compose.yaml', to: 'harden/docker-compose.yml' }, // harden.mjs
];

export const VSCODE_SCENARIOS = [
  {
    name: 'Dockerfile: squiggle, Problems, hover, quick fix USER',
    file: 'Dockerfile',
    languageId: 'dockerfile',
    expectSquiggle: true,
    rule: 'no-root-user',
    message: NO_USER_MESSAGE,
    hover: true,
    fixTitle: USER_FIX_TITLE,
    expectedOnDisk: /\nUSER 10001:10001\r?\n# start the service\r?\n/,
    screenshots: { problems: 'vscode-problems.png', hover: 'vscode-hover.png', quickfix: 'vscode-quickfix.png' },
  },
  {
    name: 'Dockerfile: quick fix "Ignore no-root-user on this line"',
    file: 'ignore/Dockerfile',
    languageId: 'dockerfile',
    expectSquiggle: true,
    rule: 'no-root-user',
    message: NO_USER_MESSAGE,
    fixTitle: 'Ignore no-root-user on this line',
    expectedOnDisk: /\n# bulkhead-ignore no-root-user\r?\nFROM node:\$\{NODE_VERSION\}-slim\r?\n/,
  },
  {
    // Compose: a service without `user:` gets no-root-user (no automatic fix for an image whose
    // USER is unknown, so the ignore-comment fix is the one applied). To only check that the file
    // opens as dockercompose and the server stays up, set expectSquiggle: false and drop rule..expectedOnDisk.
    name: 'compose.yaml: dockercompose, no-root-user on a service, ignore fix, server stays up',
    file: 'compose.yaml',
    languageId: 'dockercompose',
    expectSquiggle: true,
    rule: 'no-root-user',
    message: "Service 'worker' sets no user",
    fixTitle: 'Ignore no-root-user on this line',
    expectedOnDisk: /\n  # bulkhead-ignore no-root-user\r?\n  worker:\r?\n/,
    serverAliveAfter: 'after-compose/Dockerfile',
  },
  {
    // Every Problems row of the file and the hover on the secret's line are read; none may
    // contain the secret's value.
    name: 'secret value never shown in Problems or hover',
    file: 'secrets/Dockerfile',
    languageId: 'dockerfile',
    expectSquiggle: true,
    rule: 'no-hardcoded-secrets',
    hover: true,
    forbiddenText: 'sk_live_51HxDemoOnlyNotARealKey00000000',
  },
  {
    // Kubernetes: the nginx container of the example Deployment gets allowPrivilegeEscalation: false
    // (a securityContext inserted under its image line); the hover shows the message and the rule.
    name: 'deployment.yaml (Kubernetes): no-privilege-escalation, hover, quick fix',
    file: 'deployment.yaml',
    languageId: 'yaml',
    expectSquiggle: true,
    rule: 'no-privilege-escalation',
    message: "Container 'proxy' does not set allowPrivilegeEscalation: false",
    hover: true,
    fixTitle: 'Set allowPrivilegeEscalation: false (blocks setuid binaries; images that use sudo or su at run time need it off)',
    expectedOnDisk: /\n {8}- name: proxy\r?\n {10}image: nginx:1\.27\r?\n {10}securityContext:\r?\n {12}allowPrivilegeEscalation: false\r?\n {8}- name: log-agent\r?\n/,
    screenshots: { quickfix: 'vscode-kubernetes.png' },
  },
];

/** Files of the language status checks (vscode-extra.mjs): what the status item must say. */
export const STATUS_FILES = {
  plain: { file: 'status/Dockerfile', findings: '1 finding (1 warning)', message: 'The final stage runs as root (USER root)', hover: ['The final stage runs as root (USER root)', 'no-root-user'] },
  invalid: { file: 'status-invalid/Dockerfile', problem: 'defaultUser must be a non-root numeric uid' },
};

/**
 * Restricted Mode (vscode-extra.mjs): an untrusted folder whose .bulkhead.yaml and workspace
 * settings switch no-root-user off. Untrusted, the finding must still show; trusted, it goes.
 */
export const RESTRICTED = {
  dockerfile: 'FROM node:20\nUSER root\nCMD ["node"]\n',
  config: 'rules:\n  no-root-user: off\n',
  workspaceSettings: { 'bulkhead.rules': { 'no-root-user': 'off' } },
  statusMentions: ['Restricted Mode: .bulkhead.yaml', 'rules.no-root-user'],
};

/** The scenario Neovim and Emacs carry out on a copy of examples/Dockerfile. */
export const TERMINAL_SCENARIO = {
  from: 'examples/Dockerfile',
  rule: 'no-root-user',
  message: NO_USER_MESSAGE,
  fixTitle: USER_FIX_TITLE,
  expect: 'USER 10001:10001',
  expectBefore: '# start the service',
};

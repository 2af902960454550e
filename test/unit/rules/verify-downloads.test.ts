import { testRule } from '../../helpers/testRule';

const addUrl = (url: string) => `ADD downloads '${url}' without --checksum, so nothing verifies what the server sends`;
const addGit = (url: string) =>
  `ADD fetches the git repository '${url}' at a branch or tag that can move: pin a full commit (#<40-hex>) or add --checksum`;
const pipe = (url: string, tool: string, shell: string) =>
  `RUN pipes '${url}' downloaded by ${tool} straight into ${shell}: nothing verifies what the server sent before it runs`;
const subst = (url: string, tool: string) => `RUN executes '${url}' downloaded by ${tool} without verifying it`;
const PS = 'RUN executes a script downloaded by PowerShell (Invoke-Expression) without verifying it';
const SHA = '0123456789abcdef0123456789abcdef01234567';
const SUM = 'sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d';

testRule('verify-downloads', {
  accept: [
    { name: 'ADD with --checksum', code: `FROM alpine:3.20\nADD --checksum=${SUM} https://example.com/tool.tar.gz /tmp/\n` },
    { name: 'ADD of local files', code: 'FROM alpine:3.20\nADD app.tar.gz /opt/\n' },
    { name: 'ADD git pinned to a commit', code: `FROM alpine:3.20\nADD https://github.com/moby/buildkit.git#${SHA} /bk\nADD git@github.com:moby/buildkit.git#${SHA}:docs /docs\n` },
    { name: 'ADD git with --checksum', code: `FROM alpine:3.20\nADD --checksum=${SHA} https://github.com/moby/buildkit.git#v0.13.0 /bk\n` },
    { name: 'ADD git with checksum= in the query', code: `FROM alpine:3.20\nADD https://github.com/moby/buildkit.git?ref=v0.13.0&checksum=${SHA} /bk\n` },
    { name: 'ADD of an unknown build argument', code: 'FROM alpine:3.20\nARG SRC\nADD $SRC /tmp/\n' },
    { name: 'download, verify, then run', code: 'FROM alpine:3.20\nRUN curl -fsSLo /tmp/i.sh https://example.com/i.sh \\\n && echo "abc  /tmp/i.sh" | sha256sum -c - \\\n && sh /tmp/i.sh\n' },
    { name: 'curl piped to tar, gpg, jq', code: 'FROM alpine:3.20\nRUN curl -fsSL https://x/a.tgz | tar -xz -C /opt && curl -fsSL https://x/key | gpg --dearmor -o /k.gpg && curl -s https://api/x | jq .\n' },
    { name: 'curl piped to python -c (reads data, runs its own code)', code: 'FROM python:3.12\nRUN curl -s https://api/x | python3 -c "import json,sys; print(json.load(sys.stdin))"\n' },
    { name: 'curl piped to python -m json.tool', code: 'FROM python:3.12\nRUN curl -s https://api/x | python3 -m json.tool\n' },
    { name: 'sh with a script file of its own, fed data', code: 'FROM alpine:3.20\nRUN curl -s https://api/x | sh ./process.sh\n' },
    { name: 'the text inside a quoted string', code: 'FROM alpine:3.20\nRUN echo "install with: curl https://x | sh"\n' },
    { name: 'a heredoc fed to cat is data', code: '# syntax=docker/dockerfile:1\nFROM alpine:3.20\nRUN cat <<EOF > /usr/local/bin/setup\ncurl -fsSL https://x/i.sh | sh\nEOF\n' },
    { name: '|| is not a pipe', code: 'FROM alpine:3.20\nRUN curl -fsSL https://x/health || sh -c "echo down"\n' },
    { name: 'a variable assignment from curl is not executed', code: 'FROM alpine:3.20\nRUN V=$(curl -s https://x/version) && echo $V\n' },
    { name: 'a heredoc with a python shebang', code: '# syntax=docker/dockerfile:1\nFROM python:3.12\nRUN <<EOF\n#!/usr/bin/env python3\nimport os\nos.system("curl https://x | sh")\nEOF\n' },
    { name: 'cmd shell on a Windows image', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN curl -o setup.cmd https://x/setup.cmd | sh\n' },
    { name: 'suppressed', code: 'FROM alpine:3.20\n# bulkhead-ignore verify-downloads -- vendor script, pinned by tag in a private mirror\nRUN curl -fsSL https://mirror/i.sh | sh\n' },
  ],
  reject: [
    {
      name: 'ADD of a URL',
      code: 'FROM alpine:3.20\nADD https://example.com/tool.tar.gz /tmp/\n',
      message: addUrl('https://example.com/tool.tar.gz'),
      range: { start: [1, 4], end: [1, 35] },
      severity: 'warning',
      fixes: [],
    },
    {
      name: 'ADD of a git repository at a tag, and with no ref',
      code: 'FROM alpine:3.20\nADD https://github.com/moby/buildkit.git#v0.13.0 /bk\nADD git@github.com:moby/buildkit.git /bk2\n',
      findings: [
        { message: addGit('https://github.com/moby/buildkit.git#v0.13.0'), range: { start: [1, 4], end: [1, 48] } },
        { message: addGit('git@github.com:moby/buildkit.git'), range: { start: [2, 4], end: [2, 36] } },
      ],
    },
    {
      name: 'ADD git at a short sha',
      code: 'FROM alpine:3.20\nADD https://github.com/moby/buildkit.git#0123456 /bk\n',
      message: addGit('https://github.com/moby/buildkit.git#0123456'),
      range: { start: [1, 4], end: [1, 48] },
    },
    {
      name: 'ADD of a URL from an ARG default, in a builder stage',
      code: 'FROM alpine:3.20 AS fetch\nARG URL=https://example.com/a.bin\nADD ${URL} /a.bin\nFROM alpine:3.20\n',
      message: addUrl('${URL}'),
      range: { start: [2, 4], end: [2, 10] },
    },
    {
      name: 'curl | sh',
      code: 'FROM alpine:3.20\nRUN curl -fsSL https://get.docker.com | sh\n',
      message: pipe('https://get.docker.com', 'curl', 'sh'),
      range: { start: [1, 4], end: [1, 42] },
    },
    {
      name: 'wget -qO- | sudo -E bash -s',
      code: 'FROM ubuntu:24.04\nRUN wget -qO- https://x.io/setup | sudo -E bash -s -- --yes\n',
      message: pipe('https://x.io/setup', 'wget', 'bash'),
      range: { start: [1, 4], end: [1, 59] },
    },
    {
      name: 'curl | bash - (NodeSource style)',
      code: 'FROM ubuntu:24.04\nRUN curl -sL https://deb.nodesource.com/setup_20.x | bash - && apt-get install -y nodejs\n',
      message: pipe('https://deb.nodesource.com/setup_20.x', 'curl', 'bash'),
      range: { start: [1, 4], end: [1, 59] },
    },
    {
      name: 'curl through a filter into python',
      code: 'FROM python:3.12\nRUN curl -sSL https://install.python-poetry.org | tee /tmp/log | python3 -\n',
      message: pipe('https://install.python-poetry.org', 'curl', 'python3'),
      range: { start: [1, 4], end: [1, 74] },
    },
    {
      name: 'bash -c "$(curl ...)"',
      code: 'FROM ubuntu:24.04\nRUN bash -c "$(curl -fsSL https://raw.githubusercontent.com/x/install.sh)"\n',
      message: subst('https://raw.githubusercontent.com/x/install.sh', 'curl'),
      range: { start: [1, 13], end: [1, 73] },
    },
    {
      name: 'sh <(curl ...)',
      code: 'FROM ubuntu:24.04\nRUN sh <(curl -s https://sh.rustup.rs) -y\n',
      message: subst('https://sh.rustup.rs', 'curl'),
      range: { start: [1, 4], end: [1, 41] },
    },
    {
      name: 'eval "$(wget -O- ...)"',
      code: 'FROM ubuntu:24.04\nRUN eval "$(wget -O- https://x/env.sh)"\n',
      message: subst('https://x/env.sh', 'wget'),
      range: { start: [1, 4], end: [1, 39] },
    },
    {
      name: 'continuation lines',
      code: 'FROM alpine:3.20\nRUN apk add --no-cache curl \\\n    && curl -fsSL https://x/i.sh \\\n       | sh\n',
      message: pipe('https://x/i.sh', 'curl', 'sh'),
      range: { start: [2, 7], end: [3, 11] },
    },
    {
      name: 'a comment line inside the continuation',
      code: 'FROM alpine:3.20\nRUN curl -fsSL https://x/i.sh \\\n# the installer\n  | sh\n',
      message: pipe('https://x/i.sh', 'curl', 'sh'),
      range: { start: [1, 4], end: [3, 6] },
    },
    {
      name: 'escape directive: backtick continuations',
      code: '# escape=`\nFROM alpine:3.20\nRUN curl -fsSL https://x/i.sh `\n  | sh\n',
      message: pipe('https://x/i.sh', 'curl', 'sh'),
      range: { start: [2, 4], end: [3, 6] },
    },
    {
      name: 'after RUN flags',
      code: 'FROM alpine:3.20\nRUN --network=default --mount=type=cache,target=/root/.cache curl -fsSL https://x/i.sh | sh\n',
      message: pipe('https://x/i.sh', 'curl', 'sh'),
      range: { start: [1, 61], end: [1, 91] },
    },
    {
      name: 'RUN <<EOF heredoc script',
      code: '# syntax=docker/dockerfile:1\nFROM alpine:3.20\nRUN <<EOF\nset -e\ncurl -fsSL https://x/i.sh | sh\nEOF\n',
      message: pipe('https://x/i.sh', 'curl', 'sh'),
      range: { start: [4, 0], end: [4, 30] },
    },
    {
      name: 'RUN bash <<EOF',
      code: '# syntax=docker/dockerfile:1\nFROM alpine:3.20\nRUN bash <<EOF\nwget -qO- https://x/i.sh | bash\nEOF\n',
      message: pipe('https://x/i.sh', 'wget', 'bash'),
      range: { start: [3, 0], end: [3, 31] },
    },
    {
      name: 'exec form with sh -c',
      code: 'FROM alpine:3.20\nRUN ["/bin/sh", "-c", "curl -fsSL https://x/i.sh | sh"]\n',
      message: pipe('https://x/i.sh', 'curl', 'sh'),
      range: { start: [1, 23], end: [1, 53] },
    },
    {
      name: 'sh -c with single quotes',
      code: "FROM alpine:3.20\nRUN sh -c 'curl -fsSL https://x/i.sh | sh'\n",
      message: pipe('https://x/i.sh', 'curl', 'sh'),
      range: { start: [1, 11], end: [1, 41] },
    },
    {
      name: 'inside if/then and a subshell',
      code: 'FROM alpine:3.20\nRUN if [ -n "$X" ]; then (cd /tmp && curl -fsSL https://x/i | sh); fi\n',
      message: pipe('https://x/i', 'curl', 'sh'),
      range: { start: [1, 37], end: [1, 64] },
    },
    {
      name: 'PowerShell: Chocolatey one-liner',
      code: "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN Set-ExecutionPolicy Bypass -Scope Process -Force; iex ((New-Object System.Net.WebClient).DownloadString('https://community.chocolatey.org/install.ps1'))\n",
      message: PS,
      range: { start: [2, 54], end: [2, 156] },
    },
    {
      name: 'PowerShell: iwr | iex from cmd',
      code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN powershell -Command "iwr https://x/i.ps1 -UseBasicParsing | iex"\n',
      message: PS,
      range: { start: [1, 4], end: [1, 68] },
    },
  ],
});

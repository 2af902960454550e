-- Neovim 0.7 headless end-to-end test of the Bulkhead language server.
-- Run by test/e2e/run.mjs:  nvim --headless -u NONE -i NONE -n -c 'luafile lsp_test.lua' <file>
-- Inputs (environment): BULKHEAD_NODE, BULKHEAD_SERVER, BULKHEAD_RULE, BULKHEAD_MESSAGE (prefix),
--   BULKHEAD_FIX_TITLE (prefix), BULKHEAD_EXPECT (plain text the saved file must contain),
--   BULKHEAD_EXPECT_BEFORE (optional: the line that must follow BULKHEAD_EXPECT), BULKHEAD_TIMEOUT_MS.
-- Prints "STEP <name>" as it goes and "PASS" at the end; on failure "FAIL step=<name>: <why>" and
-- exits non-zero. Every wait is vim.wait on a condition, bounded by one overall deadline.

local env = function(k, d) local v = os.getenv(k); if v == nil or v == '' then return d end; return v end
local node = env('BULKHEAD_NODE', 'node')
local server = assert(env('BULKHEAD_SERVER'), 'BULKHEAD_SERVER not set')
local rule = env('BULKHEAD_RULE', 'no-root-user')
local message = env('BULKHEAD_MESSAGE', '')
local fix_title = assert(env('BULKHEAD_FIX_TITLE'), 'BULKHEAD_FIX_TITLE not set')
local expect = assert(env('BULKHEAD_EXPECT'), 'BULKHEAD_EXPECT not set')
local expect_before = env('BULKHEAD_EXPECT_BEFORE', nil)
local deadline = vim.loop.now() + tonumber(env('BULKHEAD_TIMEOUT_MS', '30000'))

local step = 'start'
local function out(s) io.stdout:write(s .. '\n'); io.stdout:flush() end
local function begin(name) step = name; out('STEP ' .. name) end
local function fail(why) error({ bulkhead_fail = true, why = why }, 0) end
local function remaining() return math.max(0, deadline - vim.loop.now()) end
local function wait_for(what, cond)
  if not vim.wait(remaining(), cond, 20) then fail('timed out waiting for ' .. what) end
end
local function starts_with(s, p) return s ~= nil and s:sub(1, #p) == p end

-- Raw LSP diagnostics as the server pushed them (the code-action request sends them back).
local pushed = {}
local pushes = 0

local function main()
  begin('open')
  vim.cmd('filetype on')
  vim.cmd('filetype detect')
  local buf = vim.api.nvim_get_current_buf()
  local path = vim.api.nvim_buf_get_name(buf)
  local ft = vim.bo[buf].filetype
  out('file ' .. path .. ' filetype=' .. ft)
  if ft ~= 'dockerfile' then fail('filetype is "' .. ft .. '", expected dockerfile') end

  begin('start server')
  local handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      if result and result.uri == vim.uri_from_bufnr(buf) then
        pushed = result.diagnostics
        pushes = pushes + 1
      end
      return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
    end,
  }
  local exited = nil
  local id = vim.lsp.start_client({
    name = 'bulkhead',
    cmd = { node, server, '--stdio' },
    root_dir = vim.fn.fnamemodify(path, ':h'),
    handlers = handlers,
    on_exit = function(code, signal) exited = { code = code, signal = signal } end,
  })
  if not id then fail('vim.lsp.start_client returned nil') end
  if not vim.lsp.buf_attach_client(buf, id) then fail('buf_attach_client failed') end
  local client = vim.lsp.get_client_by_id(id)
  wait_for('initialize', function() return exited ~= nil or (client.initialized and not client.is_stopped()) end)
  if exited then fail('server exited during initialize: code=' .. tostring(exited.code)) end

  begin('diagnostics')
  local diag
  local function find_diag()
    for _, d in ipairs(pushed) do
      if d.code == rule then return d end
    end
  end
  wait_for(rule .. ' diagnostic', function()
    diag = find_diag()
    return diag ~= nil or exited ~= nil
  end)
  if exited then fail('server exited: code=' .. tostring(exited.code)) end
  out(string.format('diagnostic %s line %d: %s', diag.code, diag.range.start.line + 1, diag.message))
  if not starts_with(diag.message, message) then fail('message "' .. diag.message .. '" does not start with "' .. message .. '"') end
  local shown = vim.diagnostic.get(buf)
  if #shown == 0 then fail('vim.diagnostic.get(buf) is empty although the server published diagnostics') end

  begin('codeAction')
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = diag.range,
    context = { diagnostics = { diag }, only = { 'quickfix' } },
  }
  local resp, err = client.request_sync('textDocument/codeAction', params, remaining(), buf)
  if not resp then fail('codeAction request failed: ' .. tostring(err)) end
  if resp.err then fail('codeAction error: ' .. vim.inspect(resp.err)) end
  local actions = resp.result or {}
  local chosen
  for _, a in ipairs(actions) do
    out('action: ' .. a.title)
    if starts_with(a.title, fix_title) then chosen = chosen or a end
  end
  if not chosen then fail('no code action titled "' .. fix_title .. '..." among ' .. #actions) end

  begin('apply')
  if not chosen.edit and not chosen.command then
    local r = client.request_sync('codeAction/resolve', chosen, remaining(), buf)
    if r and r.result then chosen = r.result end
  end
  if chosen.edit then
    vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding or 'utf-16')
  end
  if chosen.command then
    local cmd = type(chosen.command) == 'table' and chosen.command or chosen
    local r = client.request_sync('workspace/executeCommand', { command = cmd.command, arguments = cmd.arguments }, remaining(), buf)
    if not r or r.err then fail('executeCommand failed: ' .. vim.inspect(r and r.err)) end
  end
  if not chosen.edit and not chosen.command then fail('the action has neither edit nor command') end

  begin('write')
  vim.api.nvim_set_current_buf(buf)
  vim.cmd('write')
  local f = io.open(path, 'r')
  if not f then fail('cannot read ' .. path) end
  local text = f:read('*a')
  f:close()
  if not text:find(expect, 1, true) then fail('saved file lacks "' .. expect .. '"') end
  if expect_before and not text:find(expect .. '\n' .. expect_before, 1, true) then
    fail('"' .. expect .. '" is not directly before "' .. expect_before .. '"')
  end

  begin('diagnostic cleared')
  wait_for(rule .. ' to disappear after the fix', function() return find_diag() == nil or exited ~= nil end)
  if exited then fail('server exited after the edit: code=' .. tostring(exited.code)) end

  begin('shutdown')
  client.stop()
  vim.wait(math.min(remaining(), 3000), function() return exited ~= nil end, 20)
  out('PASS')
end

local ok, e = xpcall(main, function(e)
  if type(e) == 'table' and e.bulkhead_fail then return e.why end
  return tostring(e) .. '\n' .. debug.traceback()
end)
if ok then
  vim.cmd('qall!')
else
  out('FAIL step=' .. step .. ': ' .. tostring(e))
  vim.cmd('cquit 1')
end

-- Proves the README's Neovim snippet (loaded before this with --cmd 'luafile <snippet>') attaches
-- Bulkhead to the buffer: diagnostics arrive for the Dockerfile, a second file (Compose) gets
-- the same single client. Prints "PASS" or "FAIL <why>" and exits non-zero on failure.
local function out(s) io.stdout:write(s .. '\n'); io.stdout:flush() end
local function fail(why) out('FAIL ' .. why); vim.cmd('cquit 1') end
local timeout = tonumber(os.getenv('BULKHEAD_TIMEOUT_MS') or '20000')

local function check(buf, label)
  local ok = vim.wait(timeout, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  local clients = vim.lsp.buf_get_clients(buf)
  local names = {}
  for _, c in pairs(clients) do table.insert(names, c.name) end
  out(label .. ': filetype=' .. vim.bo[buf].filetype .. ' clients=' .. table.concat(names, ',') .. ' diagnostics=' .. #vim.diagnostic.get(buf))
  if #names ~= 1 or names[1] ~= 'bulkhead' then return fail(label .. ': the buffer is not attached to bulkhead') end
  if not ok then return fail(label .. ': no diagnostics within ' .. timeout .. ' ms') end
  return true
end

if not check(vim.api.nvim_get_current_buf(), 'Dockerfile') then return end
vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('BULKHEAD_SECOND_FILE')))
if not check(vim.api.nvim_get_current_buf(), 'compose.yaml') then return end
local all = vim.lsp.get_active_clients()
if #all ~= 1 then return fail('expected one bulkhead client for both buffers, got ' .. #all) end
out('PASS')
vim.cmd('qall!')

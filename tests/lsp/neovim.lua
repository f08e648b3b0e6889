-- A real editor against drover-lsp: headless Neovim (0.7 or later) opens a
-- demo-language document, waits for its diagnostics, edits lines, waits for
-- the new ones, checks their lines and columns, cancels a lemma that never
-- ends, and quits. Run by tst_lspneovim:
--   DROVER_LSP_BIN=... DROVER_DOC=.../doc.proof DROVER_LOG=... \
--   nvim --headless --clean -u NONE -c 'luafile neovim.lua'
-- Exits 0 when every check held; otherwise the log says which failed.

local log = io.open(os.getenv('DROVER_LOG'), 'w')
local function say(...)
  log:write(string.format(...) .. '\n')
  log:flush()
end
local function fail(...)
  say('FAIL: ' .. string.format(...))
  vim.cmd('cquit 1')
end
local function now_ms() return vim.loop.hrtime() / 1e6 end

local doc = os.getenv('DROVER_DOC')
vim.cmd('edit ' .. vim.fn.fnameescape(doc))
local buf = vim.api.nvim_get_current_buf()
vim.bo[buf].filetype = 'proof'

local client_id = vim.lsp.start_client({
  name = 'drover',
  cmd = { os.getenv('DROVER_LSP_BIN'), '--edit-pause', '100' },
  root_dir = vim.fn.fnamemodify(doc, ':h'),
})
if not client_id then fail('drover-lsp did not start') end
vim.lsp.buf_attach_client(buf, client_id)
local client = vim.lsp.get_client_by_id(client_id)
say('server pid %d', client.rpc.pid or -1)

local function errors()
  return vim.diagnostic.get(buf, { severity = vim.diagnostic.severity.ERROR })
end
local function wait_for(what, ms, predicate)
  if not vim.wait(ms, predicate, 20) then fail('timed out waiting for %s', what) end
end

-- 1. The document's error: line 7, from column 2 to the end of the line
-- (the line has characters outside the BMP: Neovim turns the server's UTF-16
-- columns into bytes).
local opened = now_ms()
wait_for('the first diagnostics', 60000, function() return #errors() == 1 end)
say('first diagnostics after %.0f ms', now_ms() - opened)
local d = errors()[1]
local line7 = vim.api.nvim_buf_get_lines(buf, 7, 8, false)[1]
if d.lnum ~= 7 or d.col ~= 2 or d.end_col ~= #line7 then
  fail('error at %d:%d-%d, expected 7:2-%d', d.lnum, d.col, d.end_col, #line7)
end
if not d.message:find('wrong_fib, step 2', 1, true) then fail('message: %s', d.message) end

-- 2. Fix the step: the error goes (at once: it was about text that is gone).
local t = now_ms()
vim.api.nvim_buf_set_lines(buf, 7, 8, false, { '  fib 11 = 89. # fixed' })
wait_for('the fix to clear the error', 60000, function() return #errors() == 0 end)
say('didChange to the error cleared: %.0f ms', now_ms() - t)

-- 3. Break a step of another lemma, two lines added above it: the error
-- is where the new text has it.
t = now_ms()
vim.api.nvim_buf_set_lines(buf, 0, 0, false, { '# two lines', '# above' })
vim.api.nvim_buf_set_lines(buf, 4, 5, false, { '  fib 10 = 56.' })
wait_for('the new error', 60000, function() return #errors() == 1 end)
say('didChange to the new error (checked): %.0f ms', now_ms() - t)
d = errors()[1]
if d.lnum ~= 4 or d.col ~= 2 then fail('new error at %d:%d, expected 4:2', d.lnum, d.col) end

-- 4. A lemma that never ends, cancelled by the drover.cancel command.
local last = vim.api.nvim_buf_line_count(buf)
vim.api.nvim_buf_set_lines(buf, last, last, false, { 'Lemma stuck: never ends.', 'Proof.', '  hang.', 'Qed.' })
local uri = vim.uri_from_bufnr(buf)
wait_for('the stuck lemma to run', 60000, function()
  local answer = client.request_sync('textDocument/hover',
    { textDocument = { uri = uri }, position = { line = last + 2, character = 2 } }, 5000, buf)
  local value = answer and answer.result and answer.result.contents and answer.result.contents.value or ''
  return value:find('checking', 1, true) ~= nil
end)
local answer = client.request_sync('workspace/executeCommand',
  { command = 'drover.cancel', arguments = { uri, last + 2 } }, 5000, buf)
if not answer or not answer.result or answer.result.cancelled ~= 1 then fail('drover.cancel did not cancel the lemma') end
wait_for('the cancelled warning', 60000, function()
  local warnings = vim.diagnostic.get(buf, { severity = vim.diagnostic.severity.WARN })
  return #warnings == 1 and warnings[1].lnum == last
end)

-- 5. Quit: the client stops the server (shutdown, exit).
vim.lsp.stop_client(client_id)
wait_for('the server to stop', 30000, function() return vim.lsp.client_is_stopped(client_id) end)
say('ok')
vim.cmd('qall!')

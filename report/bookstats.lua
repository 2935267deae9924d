-- bookstats.lua: how much of each chapter is teaching and how much is listing (make bookstats).
--
--   pandoc report/workbook.md --lua-filter report/filters/weave.lua \
--          --lua-filter report/bookstats.lua -M enforce="lab01 lab04" -t plain -o /dev/null
--
-- Per chapter (a level-1 header): words of prose; printed lines of displayed equations, of
-- listings pulled from the library (@include, "kernel"), and of the lab's own listings (after
-- folds); the longest single listing; and the share of the chapter's printed text that is prose,
-- equations and kernels. Everything is counted in printed lines, as a reader meets them: a
-- paragraph of c characters fills ceil(c / 100) lines, a listing line of more than 105
-- characters wraps, a displayed equation takes its rows plus one. Figures and tables (results)
-- count on neither side. A chapter meets the target when the share is at least 50% and no
-- listing is longer than 60 lines; the chapters named in -M enforce must meet it, or this
-- stops with an error (CI runs it). Placeholders are not filled in: no lab needs to have run.
local PROSE_WIDTH, CODE_WIDTH = 100, 105
local MIN_SHARE, MAX_LISTING = 0.5, 60

local chapters, cur = {}, nil

local function new_chapter(h)
  cur = {id = h.identifier, lab = h.attributes.lab, title = pandoc.utils.stringify(h.content),
         words = 0, prose = 0, eq = 0, kernel = 0, code = 0, longest = 0, listings = 0}
  chapters[#chapters + 1] = cur
end

local function words(s)
  local n = 0
  for _ in s:gmatch('%S+') do n = n + 1 end
  return n
end

-- Prose of a paragraph-like block: its displayed equations are counted apart.
local function inline_text(inlines)
  local text = {}
  local eq = 0
  for _, il in ipairs(inlines) do
    if il.t == 'Math' and il.mathtype == 'DisplayMath' then
      local _, rows = il.text:gsub('\\\\', '')
      eq = eq + rows + 2
    elseif il.t == 'Image' then
      -- a figure: neither prose nor code
    else
      text[#text + 1] = pandoc.utils.stringify(il)
    end
  end
  return table.concat(text, ''), eq
end

local function prose(inlines, extra)
  local text, eq = inline_text(inlines)
  text = text:gsub('%s+', ' '):gsub('^ ', '')
  cur.eq = cur.eq + eq
  if #text > 0 then
    cur.words = cur.words + words(text)
    cur.prose = cur.prose + math.ceil(#text / PROSE_WIDTH) + (extra or 0)
  end
end

local function listing(cb)
  local n = 0
  for line in (cb.text .. '\n'):gmatch('(.-)\n') do
    n = n + math.max(1, math.ceil(utf8.len(line) / CODE_WIDTH))
  end
  if cb.classes:includes('kernel') then cur.kernel = cur.kernel + n else cur.code = cur.code + n end
  cur.listings = cur.listings + 1
  if n > cur.longest then cur.longest = n end
end

local function block(b)
  if not cur then return end
  local t = b.t
  if t == 'Para' or t == 'Plain' then prose(b.content)
  elseif t == 'Header' then prose(b.content, 1)
  elseif t == 'CodeBlock' then
    if b.classes:includes('c') then listing(b) end   -- csv-table blocks are tables
  elseif t == 'BulletList' or t == 'OrderedList' then
    for _, item in ipairs(b.content) do for _, x in ipairs(item) do block(x) end end
  elseif t == 'DefinitionList' then
    for _, item in ipairs(b.content) do
      prose(item[1])
      for _, def in ipairs(item[2]) do for _, x in ipairs(def) do block(x) end end
    end
  elseif t == 'BlockQuote' or t == 'Div' then
    for _, x in ipairs(b.content) do block(x) end
  end
end

local function pct(x) return string.format('%3.0f%%', 100 * x) end

function Pandoc(doc)
  for _, b in ipairs(doc.blocks) do
    if b.t == 'Header' and b.level == 1 then new_chapter(b) end
    block(b)
  end
  local enforce = {}
  for w in pandoc.utils.stringify(doc.meta.enforce or ''):gmatch('%S+') do enforce[w] = true end
  local fmt = '%-24s %6s %5s %5s %6s %6s %7s %6s  %s\n'
  io.write(string.format(fmt, 'chapter', 'words', 'prose', 'eq', 'kernel', 'lab', 'longest', 'share', 'target'))
  io.write(string.format(fmt, '', 'prose', 'lines', 'lines', 'lines', 'lines', 'listing', '', '(>= 50%, <= 60 lines)'))
  local failed = {}
  for _, c in ipairs(chapters) do
    if c.listings > 0 then
      local name = c.lab and string.format('lab%02d', tonumber(c.lab)) or c.id:gsub('^sec:', '')
      local total = c.prose + c.eq + c.kernel + c.code
      local share = total > 0 and (c.prose + c.eq + c.kernel) / total or 1
      local ok = share >= MIN_SHARE and c.longest <= MAX_LISTING
      local verdict = ok and 'meets' or 'misses'
      if enforce[name] then
        verdict = verdict .. ' (enforced)'
        if not ok then failed[#failed + 1] = name end
      end
      io.write(string.format(fmt, name:sub(1, 24), c.words, c.prose, c.eq, c.kernel, c.code, c.longest,
                             pct(share), verdict))
    end
  end
  io.write('lines are printed lines (estimated); share = (prose + eq + kernel) / (prose + eq + kernel + lab)\n')
  if #failed > 0 then
    io.stderr:write('bookstats: ' .. table.concat(failed, ', ') .. ' below the target (share of prose, ' ..
                    'equations and kernels >= 50%, no listing over 60 lines)\n')
    os.exit(1)
  end
  return doc
end

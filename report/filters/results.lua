-- results.lua: numbers in prose come from the labs' results files.
--
--   {{lab01:mnist_test_acc}}       the value of key mnist_test_acc in OUT/lab01/results.csv,
--                                  formatted for reading (accuracies as percentages, times in s)
--   {{lab01:key|pct}}              force a format: pct, sci, int, g2, g3, g4, s (seconds), raw
--   ::: {.claims lab="lab01"}      a list of the lab's claims from OUT/lab01/claims.csv,
--   :::                            each with ✓ or ✗ and the measured value (a statement ending
--                                  in "[the gap]" names what was measured)
--
-- A missing file or key stops the build and names it: nothing is ever silently blank.
-- With metadata quick: true, "(quick mode)" is added to every figure and table caption.

local out_dir = os.getenv('NNLAB_OUT') or 'out'
local cache = {}

local function read_csv(path)
  local f = io.open(path, 'r')
  if not f then error('results.lua: cannot open ' .. path .. ' (run the lab first)') end
  local text = f:read('a')
  f:close()
  return pandoc.read(text, 'csv').blocks[1]
end

local function results(lab)
  if cache[lab] then return cache[lab] end
  local path = out_dir .. '/' .. lab .. '/results.csv'
  local f = io.open(path, 'r')
  if not f then error('results.lua: cannot open ' .. path .. ' (run make ' .. lab .. ')') end
  local map = {}
  for line in f:lines() do
    local k, v = line:match('^([^,]+),(.*)$')
    if k and k ~= 'key' then map[k] = v end
  end
  f:close()
  cache[lab] = map
  return map
end

local function sig(x, digits)
  local s = string.format('%.' .. digits .. 'g', x)
  if s:find('e') then
    local m, e = s:match('^(.-)e([-+]%d+)$')
    return m .. ' × 10^' .. tonumber(e) .. '^'
  end
  return s
end

local function format(key, value, how)
  local x = tonumber(value)
  if not x or how == 'raw' then return value end      -- words: quick, full, diverged
  if not how then
    if key:match('_acc$') or key:match('_accuracy$') then how = 'pct'
    elseif key:match('seconds$') then how = 's'
    elseif key:match('err$') or key:match('final_loss$') or key:match('overfit_loss$') then how = 'sci'
    elseif math.type(x) == 'integer' or x == math.floor(x) then how = 'int'
    else how = 'g4' end
  end
  if how == 'pct' then return string.format('%.2f %%', 100 * x):gsub(' %%', '%%') end
  if how == 's' then return (x < 10 and string.format('%.1f', x) or string.format('%.0f', x)) .. ' s' end
  if how == 'int' then   -- 1,000 and 235,146, as the prose writes them
    local s = string.format('%d', math.floor(x + 0.5))
    if math.abs(x) < 1000 then return s end
    local sign, digits = s:match('^(-?)(%d+)$')
    return sign .. digits:reverse():gsub('(%d%d%d)', '%1,'):reverse():gsub('^,', '')
  end
  if how == 'sci' then return sig(x, 2) end
  local d = how:match('^g(%d)$')
  if d then return sig(x, tonumber(d)) end
  error('results.lua: unknown format "' .. how .. '" for ' .. key)
end

local function lookup(lab, key, how)
  local v = results(lab)[key]
  if v == nil then
    error('results.lua: key "' .. key .. '" is not in ' .. out_dir .. '/' .. lab .. '/results.csv')
  end
  return format(key, v, how)
end

local function expand(text)
  return (text:gsub('{{([%w_]+):([%w_]+)|?([%w]*)}}', function(lab, key, how)
    return lookup(lab, key, how ~= '' and how or nil)
  end))
end

-- Text to inlines: "10^-9^" becomes 10 with a superscript -9; spaces become non-breaking, so
-- "2.1 × 10⁻⁹" never breaks across lines.
function inlines(t)
  local out = pandoc.List()
  local pos = 1
  t = t:gsub(' ', '\u{a0}')
  while true do
    local s, e, sup = t:find('%^([^%^]+)%^', pos)
    if not s then break end
    if s > pos then out:insert(pandoc.Str(t:sub(pos, s - 1))) end
    out:insert(pandoc.Superscript{pandoc.Str(sup)})
    pos = e + 1
  end
  if pos <= #t then out:insert(pandoc.Str(t:sub(pos))) end
  return out
end

-- Placeholders may be split across inlines by the Markdown reader (e.g. by a trailing period);
-- they never contain spaces, so each Str holds one whole placeholder or none.
function Str(el)
  if el.text:find('{{', 1, true) then
    local t = expand(el.text)
    if t:find('{{', 1, true) then error('results.lua: malformed placeholder ' .. el.text) end
    return pandoc.Span(inlines(t))
  end
end

function Div(el)
  if not el.classes:includes('claims') then return nil end
  local lab = el.attributes.lab
  local tbl = read_csv(out_dir .. '/' .. lab .. '/claims.csv')
  local items = {}
  for _, row in ipairs(tbl.bodies[1].body) do
    local cell = function(i) return pandoc.utils.stringify(row.cells[i].contents) end
    local holds = cell(2) == '1'
    local measured = tonumber(cell(3))
    local m = measured and sig(measured, 3) or cell(3)
    local para = pandoc.List()
    para:insert(pandoc.Str(holds and '✓' or '✗'))
    para:insert(pandoc.Space())
    if not holds then para:insert(pandoc.Strong{pandoc.Str('does'), pandoc.Space(), pandoc.Str('not'),
                                                 pandoc.Space(), pandoc.Str('hold:')}) para:insert(pandoc.Space()) end
    -- a statement may end in "[what was measured]": shown as "(measured: what, value)"
    local statement, what = cell(4):match('^(.-)%s*%[(.-)%]$')
    statement = statement or cell(4)
    para:extend(pandoc.read(statement, 'markdown').blocks[1].content)
    para:insert(pandoc.Space())
    local label = '(measured' .. (what and (' ' .. what) or '') .. ':'
    para:extend(pandoc.read(label, 'markdown').blocks[1].content)
    para:insert(pandoc.Space())
    para:extend(inlines(m .. ')'))
    items[#items + 1] = {pandoc.Plain(para)}
  end
  if #items == 0 then error('results.lua: ' .. lab .. '/claims.csv holds no claims') end
  return {pandoc.Para{pandoc.Strong{pandoc.Str('What this chapter showed')}}, pandoc.BulletList(items)}
end

local quick = false
function Meta(m)
  quick = m.quick == true or (m.quick and pandoc.utils.stringify(m.quick) == 'true')
end

local function mark(caption_inlines)
  if quick then
    caption_inlines:insert(pandoc.Space())
    caption_inlines:insert(pandoc.Emph{pandoc.Str('(quick'), pandoc.Space(), pandoc.Str('mode)')})
  end
end

function Image(el)
  if quick and el.title:match('^fig:') then mark(el.caption) end
  return el
end

function Table(el)
  if quick and el.caption.long[1] then mark(el.caption.long[1].content) end
  return el
end

return {{Meta = Meta}, {Str = Str, Div = Div}, {Image = Image, Table = Table}}

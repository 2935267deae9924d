-- csv-table.lua: a table from a CSV file, or part of one.
--
--   ```{.csv-table #tbl:grad file="lab01/gradcheck.csv" columns="part,max_rel_err"
--      header="Part,Max. rel. error" caption="Gradient checks."}
--   ```
-- `file` is relative to the output directory (NNLAB_OUT, default out); `columns` picks and orders
-- columns by name; `rows` keeps rows whose first column matches a Lua pattern; `header` renames
-- the columns. Numbers are right-aligned and printed with 4 significant digits (`digits`).
local out_dir = os.getenv('NNLAB_OUT') or 'out'

local function split(s)
  local t = {}
  for part in s:gmatch('[^,]+') do t[#t + 1] = part end
  return t
end

local function fmt(s, digits)
  local x = tonumber(s)
  if not x then return s end
  if math.type(x) == 'integer' then return s end
  local r = string.format('%.' .. digits .. 'g', x)
  local m, e = r:match('^(.-)e([-+]%d+)$')
  if m then return m .. ' × 10^' .. tonumber(e) .. '^' end
  return r
end

function CodeBlock(el)
  if not el.classes:includes('csv-table') then return nil end
  local path = out_dir .. '/' .. el.attributes.file
  local f = io.open(path, 'r')
  if not f then error('csv-table.lua: cannot open ' .. path) end
  local lines = {}
  for line in f:lines() do lines[#lines + 1] = line end
  f:close()
  local parse = function(line) return pandoc.read(line, 'csv').blocks[1] end
  local head = {}
  for i, name in ipairs(split(lines[1])) do head[name] = i end
  local cols = el.attributes.columns and split(el.attributes.columns) or split(lines[1])
  for _, c in ipairs(cols) do
    if not head[c] then error('csv-table.lua: no column "' .. c .. '" in ' .. path) end
  end
  local digits = tonumber(el.attributes.digits or '4')
  local names = el.attributes.header and split(el.attributes.header) or cols
  local md = {'| ' .. table.concat(names, ' | ') .. ' |'}
  local body = {}
  for i = 2, #lines do
    local t = parse(lines[1] .. '\n' .. lines[i])
    local row = t.bodies[1].body[1]
    local cells = {}
    for _, c in ipairs(cols) do cells[#cells + 1] = pandoc.utils.stringify(row.cells[head[c]].contents) end
    if not el.attributes.rows or cells[1]:match(el.attributes.rows) then body[#body + 1] = cells end
  end
  -- A column of numbers is right-aligned, even when some of its cells are words ("diverged",
  -- "never") or empty: most of its filled cells are numbers.
  local align = {}
  for j = 1, #cols do
    local nums, words = 0, 0
    for _, r in ipairs(body) do
      if tonumber(r[j]) ~= nil then nums = nums + 1 elseif r[j] ~= '' then words = words + 1 end
    end
    align[j] = (nums > 0 and nums >= words) and '--:' or ':--'
  end
  md[2] = '|' .. table.concat(align, '|') .. '|'
  -- Each cell formatted once; the widest cell of each column (header included) sets its width.
  local widest, total = {}, 0
  for j = 1, #cols do widest[j] = utf8.len(names[j]) or #names[j] end
  for _, r in ipairs(body) do
    local out = {}
    for j, v in ipairs(r) do
      out[j] = fmt(v, digits)
      widest[j] = math.max(widest[j], utf8.len(out[j]) or #out[j])
    end
    md[#md + 1] = '| ' .. table.concat(out, ' | ') .. ' |'
  end
  for j = 1, #cols do total = total + widest[j] + 2 end
  if el.attributes.caption then
    md[#md + 1] = ''
    md[#md + 1] = ': ' .. el.attributes.caption   -- the id goes on tbl.attr below
  end
  local tbl = pandoc.read(table.concat(md, '\n'), 'markdown').blocks[1]
  -- Column widths. A pipe table wider than 72 characters would get relative widths from the
  -- lengths of its dashes, and LaTeX would wrap its cells. A table that fits the page at its
  -- natural width (about 110 characters of cell text) keeps natural widths: no cell wraps. In a
  -- wider one a column of short cells (up to 20 characters) gets its full width out of a line of
  -- about 105, so "lr-too-high" does not break, and the long columns share the rest in
  -- proportion to their longest cells.
  local short, long = 0, 0
  for j = 1, #cols do
    if widest[j] <= 20 then short = short + widest[j] + 3 else long = long + widest[j] + 2 end
  end
  for j, spec in ipairs(tbl.colspecs) do
    if total <= 110 then tbl.colspecs[j] = {spec[1]}   -- no width: ColWidthDefault
    elseif short >= 105 then tbl.colspecs[j] = {spec[1], (widest[j] + 2) / total}
    elseif widest[j] <= 20 then tbl.colspecs[j] = {spec[1], (widest[j] + 3) / 105}
    else tbl.colspecs[j] = {spec[1], (1 - short / 105) * (widest[j] + 2) / long} end
  end
  if el.identifier ~= '' then tbl.attr = pandoc.Attr(el.identifier) end
  -- In the PDF a table of up to 30 rows is not split across pages: it starts a new page unless
  -- it fits below (\needspace, report/header.tex). A longer one breaks as it must.
  if FORMAT:match('latex') and #body <= 30 then
    return {pandoc.RawBlock('latex', '\\needspace{' .. (#body + 6) .. '\\baselineskip}'), tbl}
  end
  return tbl
end

-- weave.lua: turn a literate C source into document blocks.
--
-- A code block ```{.literate file="labs/lab01_mlp.c"}``` is replaced by the file woven into a
-- chapter: the Markdown inside each /** ... */ comment becomes prose (leading " * " stripped),
-- everything between becomes a C listing. So the reader sees exactly the code that ran.
--
-- The conventions (README, "The workbook", lists them for authors):
--
--   @include common/linear.c:linear_forward,linear_backward
--       A line of prose holding only this prints, at that point, a listing of the named
--       functions (or marked regions, below) of that file, in that order, headed by a comment
--       line naming the file. `name#LABEL` prints only the `case LABEL:` of a switch in that
--       function (e.g. common/optim.c:optim_step#OPT_SGD). Shared indentation is removed. A
--       name that is not found stops the build.
--       In workbook.md the same is ```{.include src="common/linear.c:linear_backward"}```.
--   /* @region name */ ... /* @end */
--       Marks lines of any C file that @include can pull by name. The two marker lines never
--       print; regions may nest and may hold folds.
--   /* @fold what it does */ ... /* @end */
--       Bookkeeping folded out of the listing: it prints as one comment line `/* (what it does) */`
--       at the marker's indentation. The code stays in the file and compiles. Never fold the math.
--       (The older `/* fold: what */ ... /* end fold */` prints the same way.)
--   Exercises (common/*.c): a line containing `>>> exercise` never prints, nor do the lines from
--       one containing `/* === stub` through the one containing `<<< exercise */`; the solution
--       lines between print normally.
--
-- The first level-1 header of labs/labNN_*.c gets the attribute lab=NN, from which number.lua
-- makes it Chapter NN. Listings from @include carry the class `kernel` (bookstats counts them).

local function read_file(path)
  local f = io.open(path, 'r')
  if not f then error('weave: cannot open ' .. tostring(path)) end
  local s = f:read('a')
  f:close()
  return s
end

local function lines_of(s)
  local t = {}
  for line in (s .. (s:sub(-1) == '\n' and '' or '\n')):gmatch('(.-)\n') do t[#t + 1] = line end
  return t
end

-- The printed form of code lines: markers and exercise stubs removed, folds collapsed.
local function clean(lines, where)
  local out, stack, stub = {}, {}, false
  local function folded()
    for _, s in ipairs(stack) do if s ~= 'region' then return true end end
    return false
  end
  for _, line in ipairs(lines) do
    if stub then
      if line:find('<<< exercise */', 1, true) then stub = false end
    elseif line:find('/* === stub', 1, true) then
      stub = not line:find('<<< exercise */', 1, true)
    elseif line:find('>>> exercise', 1, true) then
      -- the exercise's opening marker: never printed
    elseif line:match('^%s*/%* @region%s+[%w_%.%-]+%s*%*/%s*$') then
      stack[#stack + 1] = 'region'
    elseif line:match('^%s*/%* @fold%s') or line:match('^%s*/%* fold: ') then
      local indent, what = line:match('^(%s*)/%* @fold%s+(.-)%s*%*/%s*$')
      local kind = 'fold'
      if not indent then
        indent, what = line:match('^(%s*)/%* fold: (.-)%s*%*/%s*$')
        kind = 'oldfold'
      end
      if not indent then error('weave: malformed fold line in ' .. where .. ': ' .. line) end
      if not folded() then out[#out + 1] = indent .. '/* (' .. what .. ') */' end
      stack[#stack + 1] = kind
    elseif line:match('^%s*/%* @end%s*%*/%s*$') then
      local top = table.remove(stack)
      if top ~= 'region' and top ~= 'fold' then error('weave: unmatched /* @end */ in ' .. where) end
    elseif line:match('^%s*/%* end fold %*/%s*$') then
      if table.remove(stack) ~= 'oldfold' then error('weave: unmatched /* end fold */ in ' .. where) end
    elseif not folded() then
      out[#out + 1] = line
    end
  end
  if stub then error('weave: a /* === stub without its <<< exercise */ in ' .. where) end
  if #stack > 0 then error('weave: a ' .. stack[#stack] .. ' without its end marker in ' .. where) end
  return out
end

-- Lines [i, j] of the named function or region of a file's lines.
local function find_named(lines, name, file)
  local esc = name:gsub('%p', '%%%0')
  for i, line in ipairs(lines) do
    if line:match('^%s*/%* @region%s+' .. esc .. '%s*%*/%s*$') then
      local depth = 0
      for j = i + 1, #lines do
        if lines[j]:match('^%s*/%* @region%s') or lines[j]:match('^%s*/%* @fold%s') then depth = depth + 1
        elseif lines[j]:match('^%s*/%* @end%s*%*/%s*$') then
          if depth == 0 then return i + 1, j - 1 end
          depth = depth - 1
        end
      end
      error('weave: region ' .. name .. ' in ' .. file .. ' has no /* @end */')
    end
  end
  -- a definition: starts in column 0, names the function before '(', reaches '{' before ';'
  for i, line in ipairs(lines) do
    if line:match('^[%a_]') and (line:match('^' .. esc .. '%(') or line:match('[^%w_]' .. esc .. '%(')) then
      local j = i
      while j <= #lines and not lines[j]:find('{', 1, true) and not lines[j]:match(';%s*$') do j = j + 1 end
      if j <= #lines and lines[j]:find('{', 1, true) then
        if lines[j]:match('}%s*$') then return i, j end   -- the whole body on one line
        for k = j + 1, #lines do
          if lines[k]:match('^}') then return i, k end
        end
      end
    end
  end
  error('weave: no function or region "' .. name .. '" in ' .. file)
end

-- Lines [i, j] of `case LABEL:` inside lines [a, b]: up to the next case, default or closing
-- brace at the same indentation.
local function find_case(lines, a, b, label, where)
  local esc = label:gsub('%p', '%%%0')
  for i = a, b do
    local indent = lines[i]:match('^(%s*)case%s+' .. esc .. '%s*:')
    if indent then
      -- `case X: {` opens a block whose `}` stands at the case's indentation: it belongs to the case
      local open = lines[i]:match(':%s*{%s*$') ~= nil
      for j = i + 1, b do
        local l = lines[j]
        if l:sub(1, #indent) == indent and (l:match('^' .. indent .. 'case%s') or
            l:match('^' .. indent .. 'default%s*:') or l:match('^' .. indent .. '}')) then
          if open and l:match('^' .. indent .. '}') then open = false
          else return i, j - 1 end
        end
      end
      return i, b
    end
  end
  error('weave: no "case ' .. label .. ':" in ' .. where)
end

-- Remove the indentation all the lines share.
local function dedent(part)
  local min
  for _, l in ipairs(part) do
    if l:match('%S') then
      local n = #l:match('^%s*')
      if not min or n < min then min = n end
    end
  end
  if min and min > 0 then
    for k, l in ipairs(part) do part[k] = l:sub(min + 1) end
  end
  return part
end

local function include(spec)
  local file, names = spec:match('^([^:]+):(.+)$')
  if not file then error('weave: @include wants file:name[,name...], got "' .. spec .. '"') end
  local lines = lines_of(read_file(file))
  local out = {'/* ' .. file .. ' */'}
  local first = true
  for name in names:gmatch('[^,]+') do
    local fn, label = name:match('^([^#]+)#(.+)$')
    local i, j = find_named(lines, fn or name, file)
    if label then i, j = find_case(lines, i, j, label, file .. ':' .. fn) end
    local part = {}
    for k = i, j do part[#part + 1] = lines[k] end
    if not first then out[#out + 1] = '' end
    first = false
    for _, l in ipairs(dedent(clean(part, file .. ':' .. name))) do out[#out + 1] = l end
  end
  return pandoc.CodeBlock(table.concat(out, '\n'), {class = 'c kernel'})
end

-- A figure is written without extension, ![..](lab01_xor); pandoc.read here does not apply
-- --default-image-extension, so pick the file the output needs: vector PDF for LaTeX, PNG else.
local function with_extension(img)
  if not img.src:match('%.%w+$') then
    img.src = img.src .. (FORMAT:match('latex') and '.pdf' or '.png')
  end
  return img
end

-- Markdown of one prose comment, with its @include lines turned into listings.
local function prose(md, out)
  local chunk = {}
  local function flush()
    if #chunk == 0 then return end
    for _, b in ipairs(pandoc.read(table.concat(chunk, '\n'), 'markdown').blocks) do
      out[#out + 1] = pandoc.walk_block(b, {Image = with_extension})
    end
    chunk = {}
  end
  for _, line in ipairs(lines_of(md)) do
    local spec = line:match('^%s*@include%s+(%S+)%s*$')
    if spec then
      flush()
      out[#out + 1] = include(spec)
    else
      chunk[#chunk + 1] = line
    end
  end
  flush()
end

local function weave(src, file)
  local out, pos = {}, 1
  local function code(s)
    s = table.concat(clean(lines_of(s), file), '\n'):gsub('^%s*\n', ''):gsub('%s+$', '')
    if s ~= '' then out[#out + 1] = pandoc.CodeBlock(s, {class = 'c'}) end
  end
  while true do
    local s, e = src:find('/%*%*[^/*]', pos)            -- '/**' opens prose, '/**/' does not
    if not s then code(src:sub(pos)); break end
    code(src:sub(pos, s - 1))
    local cs, ce = src:find('%*/', e)
    if not cs then error('weave: unterminated /** in ' .. file) end
    local md = src:sub(e, cs - 1):gsub('\n[ \t]*%* ?', '\n'):gsub('^[ \t]+', '')
    prose(md, out)
    pos = ce + 1
  end
  local lab = file:match('lab(%d%d)_[^/]*%.c$')
  if lab then
    for _, b in ipairs(out) do
      if b.t == 'Header' and b.level == 1 then b.attributes.lab = tostring(tonumber(lab)); break end
    end
  end
  return out
end

function CodeBlock(el)
  if el.classes:includes('include') then return include(el.attributes.src or '') end
  if not el.classes:includes('literate') then return nil end
  local file = el.attributes.file
  return weave(read_file(file), file)
end

-- weave.lua: turn a literate C source into document blocks.
--
-- A code block ```{.literate file="labs/lab01_mlp.c"}``` is replaced by the file woven into a
-- chapter: the Markdown inside each /** ... */ comment becomes prose (leading " * " stripped),
-- everything between becomes a C listing. So the reader sees exactly the code that ran.
--
-- Plumbing (argument parsing, file names) may be folded out of the listing between a line
-- `/* fold: what it is */` and a line `/* end fold */`; the listing shows one visible line in its
-- place, naming what was folded and where to read it. Never fold the math.

local function fold(code, file)
  return (code:gsub('([ \t]*)/%* fold: (.-) %*/\n.-\n[ \t]*/%* end fold %*/',
    function(indent, what)
      return indent .. '/* ... ' .. what .. ': folded out of this listing, see ' .. file .. ' ... */'
    end))
end

-- A figure is written without extension, ![..](lab01_xor); pandoc.read here does not apply
-- --default-image-extension, so pick the file the output needs: vector PDF for LaTeX, PNG else.
local function with_extension(img)
  if not img.src:match('%.%w+$') then
    img.src = img.src .. (FORMAT:match('latex') and '.pdf' or '.png')
  end
  return img
end

local function weave(src, file)
  local out, pos = {}, 1
  local function code(s)
    s = fold(s, file):gsub('^%s*\n', ''):gsub('%s+$', '')
    if s ~= '' then out[#out + 1] = pandoc.CodeBlock(s, {class = 'c'}) end
  end
  while true do
    local s, e = src:find('/%*%*[^/*]', pos)            -- '/**' opens prose, '/**/' does not
    if not s then code(src:sub(pos)); break end
    code(src:sub(pos, s - 1))
    local cs, ce = src:find('%*/', e)
    if not cs then error('weave: unterminated /** in ' .. file) end
    local md = src:sub(e, cs - 1):gsub('\n[ \t]*%* ?', '\n'):gsub('^[ \t]+', '')
    for _, b in ipairs(pandoc.read(md, 'markdown').blocks) do
      out[#out + 1] = pandoc.walk_block(b, {Image = with_extension})
    end
    pos = ce + 1
  end
  return out
end

function CodeBlock(el)
  if not el.classes:includes('literate') then return nil end
  local file = el.attributes.file
  local f = io.open(file, 'r')
  if not f then error('weave: cannot open ' .. tostring(file)) end
  local src = f:read('a')
  f:close()
  return weave(src, file)
end

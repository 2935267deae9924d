-- crossref.lua: numbered figures and tables, referenced as @fig:id and @tbl:id, in PDF and HTML.
--
-- Pass 1 numbers every figure (an image with id fig:* alone in a paragraph) and every table with
-- id tbl:*, and prefixes its caption with "Figure N." / "Table N.". Pass 2 turns each citation
-- @fig:x / @tbl:x into "Figure N" — a \ref in LaTeX, a link in HTML. An unknown label stops the
-- build. Runs before --citeproc, which then sees only the real citations.
local labels, nfig, ntbl = {}, 0, 0
local latex = FORMAT:match('latex') ~= nil

local function label_caption(kind, n, inlines)
  if not latex then
    inlines:insert(1, pandoc.Space())
    inlines:insert(1, pandoc.Strong{pandoc.Str(kind .. ' ' .. n .. '.')})
  end
end

local function collect_image(el)
  if el.identifier:match('^fig:') then
    nfig = nfig + 1
    labels[el.identifier] = {'Figure', nfig}
    label_caption('Figure', nfig, el.caption)
  end
  return el
end

local function collect_table(el)
  local id = el.attr and el.attr.identifier or el.identifier
  if id and id:match('^tbl:') then
    ntbl = ntbl + 1
    labels[id] = {'Table', ntbl}
    if el.caption.long[1] then
      label_caption('Table', ntbl, el.caption.long[1].content)
      if latex then
        el.caption.long[1].content:insert(pandoc.RawInline('latex', '\\label{' .. id .. '}'))
      end
    end
  end
  return el
end

local function resolve(el)
  local out = {}
  for i, c in ipairs(el.citations) do
    local id = c.id
    if id:match('^fig:') or id:match('^tbl:') then
      local l = labels[id]
      if not l then error('crossref.lua: no figure or table labelled ' .. id) end
      if latex then
        out[#out + 1] = pandoc.RawInline('latex', l[1] .. '~\\ref{' .. id .. '}')
      else
        out[#out + 1] = pandoc.Link(l[1] .. ' ' .. l[2], '#' .. id)
      end
      if i < #el.citations then out[#out + 1] = pandoc.Str(', ') end
    else
      return nil   -- a bibliography citation: leave it to citeproc
    end
  end
  return out
end

return {{Image = collect_image, Table = collect_table}, {Cite = resolve}}

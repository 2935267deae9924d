-- crossref.lua: numbered figures and tables, referenced as @fig:id and @tbl:id, in PDF and HTML.
--
-- Pass 1 numbers every figure (an image alone in a paragraph, with a caption) and every table
-- with a caption as LaTeX does: per chapter, "Figure 3.2", "Table A.1", the chapter's number or
-- letter coming from its header's chapter attribute (number.lua sets it). In HTML it prefixes
-- the caption with "Figure 3.2." / "Table 3.2."; ids fig:* and tbl:* become labels. Pass 2 turns
-- each citation @fig:x / @tbl:x into "Figure 3.2" — a \ref in LaTeX, a link in HTML. An unknown
-- label stops the build. Runs after number.lua and before --citeproc, which then sees only the
-- real citations.
local labels = {}
local latex = FORMAT:match('latex') ~= nil
local chapter, nfig, ntbl = nil, 0, 0

local function number(n) return chapter and (chapter .. '.' .. n) or tostring(n) end

local function label_caption(kind, n, inlines)
  if not latex then
    inlines:insert(1, pandoc.Space())
    inlines:insert(1, pandoc.Strong{pandoc.Str(kind .. ' ' .. n .. '.')})
  end
end

local function collect_image(el)
  if el.title:match('^fig:') and #el.caption > 0 then   -- a figure: LaTeX numbers it
    nfig = nfig + 1
    if el.identifier ~= '' then labels[el.identifier] = {'Figure', number(nfig)} end
    label_caption('Figure', number(nfig), el.caption)
  elseif el.identifier:match('^fig:') then
    error('crossref.lua: ' .. el.identifier .. ' is not a figure (an image alone in its paragraph, with a caption)')
  end
  return el
end

local function collect_table(el)
  local id = el.attr and el.attr.identifier or el.identifier or ''
  if el.caption.long[1] then
    ntbl = ntbl + 1
    if id ~= '' then labels[id] = {'Table', number(ntbl)} end
    label_caption('Table', number(ntbl), el.caption.long[1].content)
    if latex and id:match('^tbl:') then
      el.caption.long[1].content:insert(pandoc.RawInline('latex', '\\label{' .. id .. '}'))
    end
  end
  return el
end

local function collect(doc)
  for i, b in ipairs(doc.blocks) do
    if b.t == 'Header' and b.level == 1 then
      chapter, nfig, ntbl = b.attributes.chapter, 0, 0
    end
    b = pandoc.walk_block(b, {Image = collect_image, Table = collect_table})
    if b.t == 'Table' then b = collect_table(b) end   -- walk_block leaves the block itself alone
    doc.blocks[i] = b
  end
  return doc
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

return {{Pandoc = collect}, {Cite = resolve}}

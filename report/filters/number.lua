-- number.lua: one numbering for the PDF and the HTML, unique ids, and the HTML's navigation.
--
-- Lab N is Chapter N: a chapter woven from labs/labNN_*.c (weave.lua gives its header lab=NN)
-- is numbered NN — in LaTeX by setting the chapter counter just before it, so labs may start at
-- 0 — and any other level-1 header counts on from the last; after the raw `\appendix` chapters
-- are lettered A, B, ...; a header with class `unnumbered` (the front matter) has no number.
-- Sections are N.1, N.2, ...: a section title that starts with its own "1. " loses it, so no
-- section reads "3.3 1. Overfitting". Every level-1 header gets the attribute chapter=N (or A),
-- which crossref.lua uses to number figures and tables N.1, N.2, ... as LaTeX does.
--
-- HTML only (it is built without --number-sections): the numbers are written into the headers
-- (and so into the contents), each chapter ends with links to the previous and the next chapter
-- and to the contents, and an id used twice (every chapter's "Results") becomes
-- "<chapter>-<id>" (e.g. lab02-results) in both formats, so every link lands in its own chapter.
local latex = FORMAT:match('latex') ~= nil
local html = FORMAT:match('html') ~= nil

local function strip_own_number(h)
  local c = h.content
  if #c >= 2 and c[1].t == 'Str' and c[1].text:match('^%d+%.$') and c[2].t == 'Space' then
    c:remove(1)
    c:remove(1)
  end
end

local function letter(n) return string.char(string.byte('A') + n - 1) end

function Pandoc(doc)
  local seen = {}
  -- ids that are not headers' (figures, tables, spans) are taken first
  local collect = {
    Div = function(el) seen[el.identifier] = true end,
    Span = function(el) seen[el.identifier] = true end,
    Image = function(el) seen[el.identifier] = true end,
    CodeBlock = function(el) seen[el.identifier] = true end,
    Table = function(el) if el.attr then seen[el.attr.identifier] = true end end,
  }
  for _, b in ipairs(doc.blocks) do
    pandoc.walk_block(b, collect)
    if collect[b.t] then collect[b.t](b) end   -- walk_block leaves the block itself alone
  end
  seen[''] = nil

  local out, chapters = pandoc.List(), {}
  local appendix, last_number, nappendix = false, 0, 0
  local chapter, chapter_slug = nil, 'front'
  local counters = {}
  for _, b in ipairs(doc.blocks) do
    if b.t == 'RawBlock' and b.format:match('tex') and b.text:match('\\appendix') then appendix = true end
    if b.t == 'Header' then
      if b.level == 1 then
        counters = {}
        if b.classes:includes('unnumbered') then
          chapter = nil
        elseif appendix then
          nappendix = nappendix + 1
          chapter = letter(nappendix)
        else
          local lab = tonumber(b.attributes.lab or '')
          last_number = lab or (last_number + 1)
          chapter = tostring(last_number)
          if latex and lab then
            out:insert(pandoc.RawBlock('latex', '\\setcounter{chapter}{' .. (lab - 1) .. '}'))
          end
        end
        if chapter then b.attributes.chapter = chapter end
        chapter_slug = (b.identifier ~= '' and b.identifier or 'chapter'):gsub('^sec:', '')
      else
        strip_own_number(b)
      end
      -- unique ids
      if b.identifier ~= '' then
        if seen[b.identifier] then
          local base = chapter_slug .. '-' .. b.identifier
          local id, k = base, 1
          while seen[id] do k = k + 1; id = base .. '-' .. k end
          b.identifier = id
        end
        seen[b.identifier] = true
      end
      -- the number, written out for HTML
      local number
      if b.level == 1 then
        number = chapter
      elseif chapter and not b.classes:includes('unnumbered') then
        local l = b.level
        counters[l] = (counters[l] or 0) + 1
        for k = l + 1, 7 do counters[k] = nil end
        local parts = {chapter}
        for k = 2, l do parts[#parts + 1] = tostring(counters[k] or 0) end
        number = table.concat(parts, '.')
      end
      if b.level == 1 then
        chapters[#chapters + 1] = {
          id = b.identifier,
          label = number and ((appendix and 'Appendix ' or 'Lab ') .. number) or nil,
          title = pandoc.utils.stringify(b.content),
          at = #out + 1,
        }
      end
      if html and number then
        local pre = pandoc.List()
        if b.level == 1 then
          pre:insert(pandoc.Span({pandoc.Str(appendix and 'Appendix' or 'Lab')}, {class = 'chapter-name'}))
          pre:insert(pandoc.Space())
        end
        pre:insert(pandoc.Span({pandoc.Str(number)}, {class = 'header-section-number'}))
        pre:insert(pandoc.Space())
        b.content = pre .. b.content
      end
    end
    out:insert(b)
  end

  if html and #chapters > 1 then
    -- each chapter ends with: ← previous · Contents · next →
    local function name(c) return (c.label and (c.label .. ' ') or '') .. c.title end
    local function bar(k)
      local inl = pandoc.List()
      if k > 1 then inl:insert(pandoc.Link('← ' .. name(chapters[k - 1]), '#' .. chapters[k - 1].id)) end
      if #inl > 0 then inl:insert(pandoc.Str(' · ')) end
      inl:insert(pandoc.Link('Contents', '#TOC'))
      if k < #chapters then
        inl:insert(pandoc.Str(' · '))
        inl:insert(pandoc.Link(name(chapters[k + 1]) .. ' →', '#' .. chapters[k + 1].id))
      end
      return pandoc.Div({pandoc.Plain(inl)}, {id = 'chapter-nav-' .. k, class = 'chapter-nav'})
    end
    local final = pandoc.List()
    local next_chapter = 2
    for i, b in ipairs(out) do
      if next_chapter <= #chapters and i == chapters[next_chapter].at then
        final:insert(bar(next_chapter - 1))
        next_chapter = next_chapter + 1
      end
      final:insert(b)
    end
    final:insert(bar(#chapters))
    out = final
  end
  doc.blocks = out
  return doc
end

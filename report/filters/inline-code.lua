-- inline-code.lua: inline code in running prose, for LaTeX, as \texttt at the text's size.
--
-- With --listings pandoc sets inline code with \lstinline, which takes the listings' small type
-- and their line breaking: a long `make lab01 ARGS="--seed 2"` then wraps with the listings'
-- continuation arrow in the middle of a sentence. \texttt breaks only at spaces, like words.
local escapes = {
  ['\\'] = '\\textbackslash{}', ['{'] = '\\{', ['}'] = '\\}', ['$'] = '\\$', ['&'] = '\\&',
  ['#'] = '\\#', ['^'] = '\\^{}', ['_'] = '\\_', ['%'] = '\\%', ['~'] = '\\textasciitilde{}',
  ['-'] = '-{}',   -- no "--" ligature in case the font has one
  ['<'] = '\\textless{}', ['>'] = '\\textgreater{}', ['"'] = '\\textquotedbl{}', ["'"] = '\\textquotesingle{}',
  ['`'] = '\\textasciigrave{}',
}

function Code(el)
  if not FORMAT:match('latex') then return nil end
  local s = el.text:gsub('[\\{}$&#^_%%~%-<>"\'`]', escapes)
  return pandoc.RawInline('latex', '\\texttt{' .. s .. '}')
end

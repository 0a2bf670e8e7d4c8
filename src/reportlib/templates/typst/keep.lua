-- Keeps a short paragraph that introduces a figure or table on the same page as it: the
-- paragraph becomes a sticky block (Typst's keep-with-next, as headings have). Without it a
-- heading and its one-line introduction could be left at a page foot with the chart on
-- the next page. Long paragraphs are left alone (moving them would leave a large gap).
-- Other output formats are left unchanged.
local MAX_CHARS = 400

local function is_figure(block)
  if block == nil then
    return false
  end
  if block.t == "Figure" then
    return true
  end
  return block.t == "RawBlock" and block.format == "typst" and block.text:match("^%s*#figure%(") ~= nil
end

-- A raw Typst paragraph as the blocks write it: text, no heading, call or raw block.
local function is_paragraph(block)
  if block.t == "Para" then
    return utf8.len(pandoc.utils.stringify(block)) <= MAX_CHARS
  end
  if block.t ~= "RawBlock" or block.format ~= "typst" then
    return false
  end
  local first = block.text:match("^%s*(.)")
  return first ~= nil and first ~= "=" and first ~= "#" and first ~= "/" and first ~= "`"
    and (utf8.len(block.text) or #block.text) <= 3 * MAX_CHARS
end

function Blocks(blocks)
  if not FORMAT:match("typst") then
    return nil
  end
  local out = {}
  for i, block in ipairs(blocks) do
    if is_figure(blocks[i + 1]) and is_paragraph(block) then
      table.insert(out, pandoc.RawBlock("typst", "#block(sticky: true, width: 100%)["))
      table.insert(out, block)
      table.insert(out, pandoc.RawBlock("typst", "]"))
    else
      table.insert(out, block)
    end
  end
  return out
end

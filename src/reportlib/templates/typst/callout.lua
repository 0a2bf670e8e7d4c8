-- Turns reportlib callouts (fenced divs .callout-note / .callout-warning) into calls of the
-- Typst template's #callout function; other output formats keep the div unchanged.
function Div(el)
  if not FORMAT:match("typst") then
    return nil
  end
  for _, kind in ipairs({ "note", "warning" }) do
    if el.classes:includes("callout-" .. kind) then
      local out = { pandoc.RawBlock("typst", '#callout(kind: "' .. kind .. '")[') }
      for _, block in ipairs(el.content) do
        table.insert(out, block)
      end
      table.insert(out, pandoc.RawBlock("typst", "]"))
      return out
    end
  end
end

-- Gives each distinct footnote one number: the first occurrence is labelled, later identical
-- notes become references to it (Typst `#footnote(<label>)`). Reports cite the same sentence
-- in the key figures, the peers table and the appendix; repeating the full note each time
-- made the PDF longer and Typst's footnote layout (re-run per page a note lands on) several
-- times slower on long tables. Other output formats are left unchanged.
function Pandoc(doc)
  if not FORMAT:match("typst") then
    return nil
  end
  local labels = {}
  local count = 0
  doc = doc:walk({
    Note = function(note)
      local key = pandoc.write(pandoc.Pandoc(note.content), "native")
      local label = labels[key]
      if label then
        return pandoc.RawInline("typst", "#footnote(<" .. label .. ">)")
      end
      count = count + 1
      label = "reportlib-fn-" .. count
      labels[key] = label
      return { note, pandoc.RawInline("typst", "<" .. label .. ">") }
    end,
  })
  return doc
end

#pragma once
// Escaping for the markup writers (internal). Every function takes untrusted text: it first makes
// it printable (printable_text), then escapes what the markup language would interpret.
#include <string>
#include <string_view>

namespace popspec::reports::detail {

// Text for HTML element content and quoted attribute values: & < > " ' escaped.
std::string html(std::string_view text);

// Text for XML 1.0 element content: & < > escaped; characters XML 1.0 forbids (most C0
// controls, even as character references) are written as visible escapes instead.
std::string xml_text(std::string_view text);

// Text for a double-quoted XML attribute value: also " ' and the whitespace characters an XML
// parser would normalise away (TAB, LF) as character references.
std::string xml_attribute(std::string_view text);

// Inline Markdown text: one line (newlines become spaces), every ASCII punctuation character
// backslash-escaped so that nothing is read as markup, links, HTML or table cell borders.
std::string markdown_inline(std::string_view text);

// An inline Markdown code span holding `text` verbatim (one line, made printable): no escaping
// noise for identifiers and paths. In a table cell, pipes are escaped (GFM splits cells on them
// even inside code spans).
std::string markdown_code_span(std::string_view text, bool in_table = false);

// A fenced Markdown code block holding `text` verbatim (made printable); the fence is longer than
// any run of backticks inside, so the text cannot close it.
std::string markdown_code_block(std::string_view text);

// A token usable in a space-separated HTML attribute list: [A-Za-z0-9._-] kept, others as '_'.
std::string attribute_token(std::string_view text);

}  // namespace popspec::reports::detail

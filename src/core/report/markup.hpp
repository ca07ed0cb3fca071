// Escaping for the XML and HTML reports. Text from a run (names, bodies, messages) may hold any
// bytes: invalid UTF-8 becomes U+FFFD, and characters XML 1.0 forbids (controls other than tab,
// newline and carriage return; U+FFFE, U+FFFF) are dropped, so the documents always parse.
// Pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace flow::core {

// For element text and attribute values (double-quoted): & < > " ' escaped.
std::string XmlEscape(std::string_view text);
// The same rules for HTML text and attribute values.
inline std::string HtmlEscape(std::string_view text) { return XmlEscape(text); }
// At most `max_bytes` of `text`, cut on a UTF-8 boundary, with "… (N more bytes)" appended when
// something was cut.
std::string TruncateUtf8(std::string_view text, std::size_t max_bytes);

}  // namespace flow::core

// Small pure string helpers shared by every layer of the core.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flow::core {

std::string_view Trim(std::string_view text);
std::string ToLower(std::string_view text);
bool StartsWith(std::string_view text, std::string_view prefix);
bool EndsWith(std::string_view text, std::string_view suffix);
std::vector<std::string> Split(std::string_view text, char separator);

// Edit distance (insert, delete, substitute, transpose neighbours), case-insensitive.
std::size_t EditDistance(std::string_view a, std::string_view b);

// The candidates closest to `name`, best first, at most `limit`, only those close enough to be a
// plausible typo (distance <= max(1, len/3)) or sharing a prefix/suffix with it.
std::vector<std::string> ClosestMatches(std::string_view name,
                                        const std::vector<std::string>& candidates,
                                        std::size_t limit = 3);

// "did you mean 'a'?" / "did you mean 'a' or 'b'?" / "" when there is nothing close.
std::string DidYouMean(std::string_view name, const std::vector<std::string>& candidates);

// Appends the UTF-8 encoding of Unicode code point `cp` (no validation of surrogates).
void AppendUtf8(std::string& out, std::uint32_t cp);
// The code point starting at text[i] (UTF-8) and its length in bytes; an invalid or cut sequence
// (overlong forms and surrogates included) gives U+FFFD with length 1.
std::uint32_t DecodeUtf8At(std::string_view text, std::size_t i, std::size_t& length);

}  // namespace flow::core

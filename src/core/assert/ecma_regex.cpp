#include "core/assert/ecma_regex.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <array>
#include <utility>

namespace flow::core {
namespace {

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsClassEscapeLetter(char c) {
  return c == 'd' || c == 'D' || c == 'w' || c == 'W' || c == 's' || c == 'S';
}

// Length in bytes of the UTF-8 sequence starting with `lead` (1 for anything malformed, so the
// bytes still reach PCRE2, which reports invalid UTF-8 itself).
std::size_t Utf8Length(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF7) return 4;
  if (lead >= 0xE0) return lead <= 0xEF ? 3 : 1;
  if (lead >= 0xC0) return 2;
  return 1;
}

std::string PcreMessage(int code) {
  std::array<PCRE2_UCHAR, 256> buffer{};
  const int length = pcre2_get_error_message(code, buffer.data(), buffer.size());
  if (length < 0) return "pcre2 error " + std::to_string(code);
  return std::string(reinterpret_cast<const char*>(buffer.data()),
                     static_cast<std::size_t>(length));
}

// One escape sequence starting at `p[i] == '\\'`: how many bytes it spans, the PCRE2 text for it
// and whether it is a class escape (\d \D \w \W \s \S).
struct Escape {
  std::size_t length = 2;
  std::string text;
  bool class_escape = false;
};

// ECMAScript without the `u` flag treats an escaped letter with no meaning of its own as the
// letter itself ("identity escape"), while PCRE2 either rejects it (`\i`) or gives it another
// meaning (`\v`, `\h`, `\A`, `\Q`, `\p`, ...). Only the escapes both agree on are passed through.
Escape TranslateEscape(std::string_view p, std::size_t i, bool in_class) {
  Escape e;
  const char d = p[i + 1];
  if (IsClassEscapeLetter(d)) {
    e.text = std::string{'\\', d};
    e.class_escape = true;
    return e;
  }
  switch (d) {
    case 't':
    case 'n':
    case 'r':
    case 'f':
    case 'b':
      e.text = std::string{'\\', d};
      return e;
    case 'B':
      e.text = in_class ? "B" : "\\B";
      return e;
    case 'v':
      e.text = "\\x0b";
      return e;
    case 'c':
      if (i + 2 < p.size() && IsAsciiLetter(p[i + 2])) {
        e.length = 3;
        e.text = std::string{'\\', 'c', p[i + 2]};
      } else {
        e.text = "\\\\c";  // JS: a lone \c is a backslash followed by 'c'
      }
      return e;
    case 'x':
      if (i + 3 < p.size() && IsHex(p[i + 2]) && IsHex(p[i + 3])) {
        e.length = 4;
        e.text = std::string(p.substr(i, 4));
      } else {
        e.text = "x";
      }
      return e;
    case 'u':
      if (i + 5 < p.size() && IsHex(p[i + 2]) && IsHex(p[i + 3]) && IsHex(p[i + 4]) &&
          IsHex(p[i + 5])) {
        e.length = 6;
        e.text = std::string(p.substr(i, 6));
      } else {
        e.text = "u";
      }
      return e;
    case 'k':
      if (!in_class && i + 2 < p.size() && p[i + 2] == '<') {
        const std::size_t close = p.find('>', i + 3);
        if (close != std::string_view::npos) {
          e.length = close - i + 1;
          e.text = std::string(p.substr(i, e.length));
          return e;
        }
      }
      e.text = "k";
      return e;
    default:
      break;
  }
  if (IsDigit(d)) {
    std::size_t end = i + 1;
    while (end < p.size() && IsDigit(p[end])) ++end;
    e.length = end - i;
    e.text = std::string(p.substr(i, e.length));
    return e;
  }
  if (IsAsciiLetter(d)) {
    e.text = std::string{d};
    return e;
  }
  // An escaped punctuation mark (or the lead byte of a UTF-8 character) is literal in both.
  const std::size_t length = 1 + Utf8Length(static_cast<unsigned char>(d));
  e.length = std::min(length, p.size() - i);
  e.text = std::string(p.substr(i, e.length));
  return e;
}

}  // namespace

std::string TranslateEcmaPattern(std::string_view p, std::vector<std::size_t>* origin) {
  std::string out;
  std::vector<std::size_t> map;
  const auto emit = [&](std::string_view text, std::size_t from) {
    out.append(text);
    map.insert(map.end(), text.size(), from);
  };
  // Inside a class, what the previous item was, to tell a range `a-z` from a literal hyphen.
  enum class Item { kNone, kAtom, kClassEscape, kRangeEnd };
  bool in_class = false;
  Item previous = Item::kNone;
  bool range_open = false;  // the last thing emitted in the class was a range operator '-'
  const auto note_atom = [&](bool class_escape) {
    if (range_open) {
      previous = Item::kRangeEnd;
      range_open = false;
    } else {
      previous = class_escape ? Item::kClassEscape : Item::kAtom;
    }
  };
  std::size_t i = 0;
  while (i < p.size()) {
    const char c = p[i];
    if (c == '\\') {
      if (i + 1 >= p.size()) {  // a trailing backslash: PCRE2 reports it
        emit("\\", i);
        ++i;
        continue;
      }
      const Escape e = TranslateEscape(p, i, in_class);
      emit(e.text, i);
      if (in_class) note_atom(e.class_escape);
      i += e.length;
      continue;
    }
    if (!in_class) {
      if (c == '[') {
        in_class = true;
        previous = Item::kNone;
        range_open = false;
        emit("[", i);
        ++i;
        if (i < p.size() && p[i] == '^') {
          emit("^", i);
          ++i;
        }
        continue;
      }
      const std::size_t length = std::min(Utf8Length(static_cast<unsigned char>(c)), p.size() - i);
      emit(p.substr(i, length), i);
      i += length;
      continue;
    }
    // Inside a class. In ECMAScript a ']' always closes it, even right after '[' (PCRE2 agrees
    // under PCRE2_ALLOW_EMPTY_CLASS), and '[' is an ordinary character, never a POSIX class.
    if (c == ']') {
      in_class = false;
      emit("]", i);
      ++i;
      continue;
    }
    if (c == '[') {
      emit("\\[", i);
      note_atom(false);
      ++i;
      continue;
    }
    if (c == '-') {
      const bool next_is_class_escape =
          i + 2 < p.size() && p[i + 1] == '\\' && IsClassEscapeLetter(p[i + 2]);
      const bool last = i + 1 >= p.size() || p[i + 1] == ']';
      if (previous == Item::kNone || range_open || last || previous == Item::kClassEscape ||
          previous == Item::kRangeEnd || next_is_class_escape) {
        // ECMAScript reads all of these as a literal hyphen; PCRE2 rejects some ("[\w-.]").
        emit("\\-", i);
        note_atom(false);
      } else {
        emit("-", i);
        range_open = true;
      }
      ++i;
      continue;
    }
    const std::size_t length = std::min(Utf8Length(static_cast<unsigned char>(c)), p.size() - i);
    emit(p.substr(i, length), i);
    note_atom(false);
    i += length;
  }
  if (origin != nullptr) *origin = std::move(map);
  return out;
}

EcmaRegex::EcmaRegex(std::shared_ptr<pcre2_real_code_8> code, std::string pattern)
    : code_(std::move(code)), pattern_(std::move(pattern)) {}

Result<EcmaRegex> EcmaRegex::Compile(std::string_view pattern) {
  std::vector<std::size_t> origin;
  const std::string translated = TranslateEcmaPattern(pattern, &origin);
  std::unique_ptr<pcre2_compile_context, void (*)(pcre2_compile_context*)> context(
      pcre2_compile_context_create(nullptr), pcre2_compile_context_free);
  if (context == nullptr) return Internal("out of memory compiling a regex");
  // ECMAScript's '.' excludes line terminators; ANYCRLF makes PCRE2's '.' exclude \r as well.
  pcre2_set_newline(context.get(), PCRE2_NEWLINE_ANYCRLF);
  const uint32_t options = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY |
                           PCRE2_ALT_BSUX | PCRE2_ALLOW_EMPTY_CLASS | PCRE2_NEVER_BACKSLASH_C;
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  // An empty view may carry a null pointer; PCRE2 wants a real one.
  const char* data = translated.empty() ? "" : translated.data();
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(data), translated.size(), options,
                                   &error_code, &error_offset, context.get());
  if (code == nullptr) {
    const std::size_t offset = error_offset < origin.size() ? origin[error_offset] : pattern.size();
    Error error =
        InvalidArgument("invalid regex /" + std::string(pattern) + "/: " + PcreMessage(error_code) +
                        " at offset " + std::to_string(offset));
    error.reason = "invalid-regex";
    return error;
  }
  return EcmaRegex(
      std::shared_ptr<pcre2_real_code_8>(code, [](pcre2_code* c) { pcre2_code_free(c); }),
      std::string(pattern));
}

Result<bool> EcmaRegex::Search(std::string_view subject) const {
  std::unique_ptr<pcre2_match_data, void (*)(pcre2_match_data*)> match_data(
      pcre2_match_data_create(1, nullptr), pcre2_match_data_free);
  std::unique_ptr<pcre2_match_context, void (*)(pcre2_match_context*)> context(
      pcre2_match_context_create(nullptr), pcre2_match_context_free);
  if (match_data == nullptr || context == nullptr)
    return Internal("out of memory matching a regex");
  pcre2_set_match_limit(context.get(), kMatchLimit);
  pcre2_set_depth_limit(context.get(), kDepthLimit);
  pcre2_set_heap_limit(context.get(), kHeapLimitKib);
  const char* data = subject.empty() ? "" : subject.data();
  const int rc = pcre2_match(code_.get(), reinterpret_cast<PCRE2_SPTR>(data), subject.size(), 0, 0,
                             match_data.get(), context.get());
  if (rc >= 0) return true;  // 0: matched, the ovector was too small for the groups
  if (rc == PCRE2_ERROR_NOMATCH) return false;
  const bool limit = rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
                     rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_NOMEMORY;
  Error error = InvalidArgument(limit ? std::string("regex exceeded its match limit")
                                      : "regex match failed: " + PcreMessage(rc));
  error.reason = limit ? "regex-limit" : "regex-error";
  return error;
}

}  // namespace flow::core

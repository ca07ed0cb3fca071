// Strict RFC 8259 JSON with the position of every value and key. nlohmann's parser reports no
// node positions, so this small recursive-descent reader replaces it; recursion is bounded by
// kMaxDocumentDepth.
#include "core/parse/json_loader.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <utility>

#include "core/parse/text_index.hpp"
#include "core/parse/yaml_scalar.hpp"

namespace flow::core {
namespace {

using RawSpans = std::unordered_map<std::string, RawSpan>;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Shown(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x21 && byte < 0x7F) return std::string("'") + c + "'";
  if (c == ' ') return "' '";
  return CodePointName(byte);
}

class JsonReader {
 public:
  JsonReader(std::string_view text, const std::string& file, const LineIndex& index)
      : text_(text), file_(file), index_(index) {}

  // False when the text is not one JSON value (the error is then in `error`).
  bool ReadDocument(Value& root) {
    SkipWhitespace();
    if (pos_ == text_.size()) {
      root = nullptr;  // an empty file: the caller decides what it means
      return true;
    }
    if (!ReadValue(root, "", 0)) return false;
    SkipWhitespace();
    if (pos_ != text_.size()) {
      return Fail(pos_, "unexpected " + Shown(text_[pos_]) + " after the JSON value",
                  "a JSON file holds exactly one value");
    }
    return true;
  }

  Error error;
  RawSpans value_spans;
  RawSpans key_spans;

 private:
  bool ReadValue(Value& out, const std::string& pointer, int depth) {
    if (pos_ == text_.size()) return Fail(pos_, "unexpected end of file, expected a value");
    const std::size_t start = pos_;
    const char c = text_[pos_];
    bool ok = false;
    if (c == '{' || c == '[') {
      if (depth + 1 > kMaxDocumentDepth) {
        return Fail(pos_, "nesting deeper than " + std::to_string(kMaxDocumentDepth) + " levels",
                    "flatten the data", "too-deep");
      }
      ok = c == '{' ? ReadObject(out, pointer, depth + 1) : ReadArray(out, pointer, depth + 1);
      Record(value_spans, pointer, start, 1);
      return ok;
    }
    if (c == '"') {
      std::string text;
      ok = ReadString(text);
      out = std::move(text);
    } else if (c == '-' || IsDigit(c)) {
      ok = ReadNumber(out);
    } else if (c == 't' || c == 'f' || c == 'n') {
      ok = ReadWord(out);
    } else {
      std::string hint;
      if (c == '\'') hint = "JSON strings use double quotes";
      if (c == '/' || c == '#') hint = "JSON has no comments";
      if (c == ']' || c == '}') hint = "remove the comma before it, or add the missing value";
      if (std::isalpha(static_cast<unsigned char>(c)) != 0) {
        hint = "strings must be in double quotes; the only bare words are true, false and null";
      }
      return Fail(pos_, "unexpected " + Shown(c) + ", expected a value", std::move(hint));
    }
    if (ok) Record(value_spans, pointer, start, pos_ - start);
    return ok;
  }

  bool ReadObject(Value& out, const std::string& pointer, int depth) {
    const std::size_t open = pos_++;
    out = Value::object();
    auto& members = out.get_ref<Value::object_t&>();
    std::unordered_map<std::string, std::size_t> seen;  // key -> where it was first written
    SkipWhitespace();
    if (Peek('}')) {
      ++pos_;
      return true;
    }
    while (true) {
      SkipWhitespace();
      if (pos_ == text_.size()) return Unclosed(open, '{');
      if (text_[pos_] != '"') {
        if (text_[pos_] == '}') return Fail(pos_, "trailing comma before '}'", "remove the comma");
        return Fail(pos_, "unexpected " + Shown(text_[pos_]) + ", expected a double-quoted key");
      }
      const std::size_t key_start = pos_;
      std::string key;
      if (!ReadString(key)) return false;
      const auto [first, inserted] = seen.emplace(key, key_start);
      if (!inserted) {
        Fail(key_start, "duplicate key '" + key + "'",
             "first defined at " + index_.Describe(file_, first->second), "duplicate-key");
        error.where->length = static_cast<int>(pos_ - key_start);
        return false;
      }
      const std::string child = JoinPointer(pointer, key);
      Record(key_spans, child, key_start, pos_ - key_start);
      SkipWhitespace();
      if (!Peek(':')) {
        if (pos_ == text_.size()) return Unclosed(open, '{');
        return Fail(pos_, "expected ':' after the key '" + key + "'");
      }
      ++pos_;
      SkipWhitespace();
      Value value;
      if (!ReadValue(value, child, depth)) return false;
      // Keys are unique (checked above), so append without ordered_map's linear search.
      members.emplace_back(std::move(key), std::move(value));
      SkipWhitespace();
      if (pos_ == text_.size()) return Unclosed(open, '{');
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (text_[pos_] == '}') {
        ++pos_;
        return true;
      }
      return Fail(pos_, "unexpected " + Shown(text_[pos_]) + ", expected ',' or '}'",
                  "the object opened at " + index_.Describe(file_, open) + " continues here");
    }
  }

  bool ReadArray(Value& out, const std::string& pointer, int depth) {
    const std::size_t open = pos_++;
    out = Value::array();
    SkipWhitespace();
    if (Peek(']')) {
      ++pos_;
      return true;
    }
    while (true) {
      SkipWhitespace();
      if (pos_ == text_.size()) return Unclosed(open, '[');
      if (text_[pos_] == ']') return Fail(pos_, "trailing comma before ']'", "remove the comma");
      Value item;
      if (!ReadValue(item, JoinPointer(pointer, out.size()), depth)) return false;
      out.push_back(std::move(item));
      SkipWhitespace();
      if (pos_ == text_.size()) return Unclosed(open, '[');
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (text_[pos_] == ']') {
        ++pos_;
        return true;
      }
      return Fail(pos_, "unexpected " + Shown(text_[pos_]) + ", expected ',' or ']'",
                  "the array opened at " + index_.Describe(file_, open) + " continues here");
    }
  }

  // At the opening quote; leaves pos_ after the closing one. The text is valid UTF-8 already.
  bool ReadString(std::string& out) {
    const std::size_t open = pos_++;
    while (true) {
      const std::size_t run = pos_;
      while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\\' &&
             static_cast<unsigned char>(text_[pos_]) >= 0x20) {
        ++pos_;
      }
      out.append(text_.substr(run, pos_ - run));
      if (pos_ == text_.size()) {
        return Fail(open, "unterminated string", "add the closing '\"'");
      }
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c != '\\') {
        return Fail(pos_,
                    "control character " + CodePointName(static_cast<unsigned char>(c)) +
                        " inside a string",
                    c == '\n' ? "a JSON string cannot span lines; write \\n instead"
                              : "write it as an escape such as \\t or \\u0001");
      }
      if (!ReadEscape(out)) return false;
    }
  }

  bool ReadEscape(std::string& out) {
    const std::size_t start = pos_++;
    if (pos_ == text_.size()) return Fail(start, "unterminated string", "add the closing '\"'");
    const char c = text_[pos_++];
    switch (c) {
      case '"':
        out += '"';
        return true;
      case '\\':
        out += '\\';
        return true;
      case '/':
        out += '/';
        return true;
      case 'b':
        out += '\b';
        return true;
      case 'f':
        out += '\f';
        return true;
      case 'n':
        out += '\n';
        return true;
      case 'r':
        out += '\r';
        return true;
      case 't':
        out += '\t';
        return true;
      case 'u':
        break;
      default:
        return Fail(start, "invalid escape '\\" + std::string(1, c) + "' in a string",
                    "the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX");
    }
    std::optional<std::uint32_t> unit = ReadHex4(start);
    if (!unit) return false;
    std::uint32_t code_point = *unit;
    if (code_point >= 0xDC00 && code_point <= 0xDFFF) return LoneSurrogate(start);
    if (code_point >= 0xD800 && code_point <= 0xDBFF) {
      if (text_.substr(pos_, 2) != "\\u") return LoneSurrogate(start);
      const std::size_t low_start = pos_;
      pos_ += 2;
      const std::optional<std::uint32_t> low = ReadHex4(low_start);
      if (!low) return false;
      if (*low < 0xDC00 || *low > 0xDFFF) return LoneSurrogate(start);
      code_point = 0x10000 + ((code_point - 0xD800) << 10) + (*low - 0xDC00);
    }
    AppendUtf8(out, code_point);
    return true;
  }

  std::optional<std::uint32_t> ReadHex4(std::size_t escape_start) {
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const int digit = pos_ < text_.size() ? HexValue(text_[pos_]) : -1;
      if (digit < 0) {
        Fail(escape_start, "invalid \\u escape: it needs four hexadecimal digits");
        return std::nullopt;
      }
      value = value * 16 + static_cast<std::uint32_t>(digit);
      ++pos_;
    }
    return value;
  }

  bool LoneSurrogate(std::size_t start) {
    return Fail(start, "invalid \\u escape: a lone UTF-16 surrogate is not a character",
                "write a character above U+FFFF as a pair such as \\ud83d\\ude00");
  }

  bool ReadNumber(Value& out) {
    const std::size_t start = pos_;
    const bool negative = Peek('-');
    if (negative) ++pos_;
    if (Peek('0')) {
      ++pos_;
      if (pos_ < text_.size() && IsDigit(text_[pos_])) {
        return Fail(start, "invalid number: leading zeros are not allowed");
      }
    } else if (pos_ < text_.size() && IsDigit(text_[pos_])) {
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    } else {
      return Fail(start, "invalid number: '-' must be followed by a digit");
    }
    bool integral = true;
    if (Peek('.')) {
      ++pos_;
      integral = false;
      if (!(pos_ < text_.size() && IsDigit(text_[pos_]))) {
        return Fail(start, "invalid number: a digit must follow '.'");
      }
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    }
    if (Peek('e') || Peek('E')) {
      ++pos_;
      integral = false;
      if (Peek('+') || Peek('-')) ++pos_;
      if (!(pos_ < text_.size() && IsDigit(text_[pos_]))) {
        return Fail(start, "invalid number: the exponent needs digits");
      }
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    }
    const std::string_view numeral = text_.substr(start, pos_ - start);
    const char* first = numeral.data();
    const char* last = first + numeral.size();
    if (integral) {
      std::int64_t signed_value = 0;
      if (std::from_chars(first, last, signed_value).ec == std::errc()) {
        out = signed_value;
        return true;
      }
      std::uint64_t unsigned_value = 0;
      if (!negative && std::from_chars(first, last, unsigned_value).ec == std::errc()) {
        out = unsigned_value;
        return true;
      }
    }
    const double magnitude = DecimalToDouble(numeral.substr(negative ? 1 : 0));
    if (!std::isfinite(magnitude)) {
      return Fail(start, "number " + std::string(numeral.substr(0, 40)) + " is out of range",
                  "write it as a string");
    }
    out = negative ? -magnitude : magnitude;
    return true;
  }

  bool ReadWord(Value& out) {
    const std::size_t start = pos_;
    for (const auto& [word, value] :
         {std::pair<std::string_view, Value>{"true", true}, {"false", false}, {"null", nullptr}}) {
      if (text_.substr(pos_, word.size()) == word) {
        pos_ += word.size();
        out = value;
        return true;
      }
    }
    return Fail(start, "unexpected " + Shown(text_[start]) + ", expected a value",
                "strings must be in double quotes; the only bare words are true, false and null");
  }

  void SkipWhitespace() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      ++pos_;
    }
  }

  bool Peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  void Record(RawSpans& spans, const std::string& pointer, std::size_t start, std::size_t length) {
    spans[pointer] = RawSpan{static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(length)};
  }

  bool Unclosed(std::size_t open, char bracket) {
    const std::string what = bracket == '{' ? "object" : "array";
    return Fail(open, "unexpected end of file: the " + what + " opened here is never closed",
                std::string("add the missing '") + (bracket == '{' ? '}' : ']') + "'");
  }

  bool Fail(std::size_t at, std::string message, std::string hint = {},
            std::string reason = "syntax") {
    error = InvalidArgument(reason == "syntax" ? "json syntax error: " + message : message,
                            std::move(hint));
    error.reason = std::move(reason);
    error.where = index_.Span(file_, RawSpan{static_cast<std::uint32_t>(at), 1});
    return false;
  }

  std::string_view text_;
  const std::string& file_;
  const LineIndex& index_;
  std::size_t pos_ = 0;
};

}  // namespace

Result<Document> LoadJsonDocument(std::string_view text, std::string file) {
  const LineIndex index(text);
  if (const std::optional<BadCharacter> bad = FindBadCharacter(text, /*yaml_rules=*/false)) {
    return BadCharacterError(*bad, file, index);
  }
  JsonReader reader(text, file, index);
  Document document;
  if (!reader.ReadDocument(document.root)) return std::move(reader.error);
  document.value_spans.reserve(reader.value_spans.size());
  for (const auto& [pointer, span] : reader.value_spans) {
    document.value_spans.emplace(pointer, index.Span(file, span));
  }
  document.key_spans.reserve(reader.key_spans.size());
  for (const auto& [pointer, span] : reader.key_spans) {
    document.key_spans.emplace(pointer, index.Span(file, span));
  }
  document.file = std::move(file);
  document.text = std::string(text);
  return document;
}

}  // namespace flow::core

#include "core/config/dotenv.hpp"

#include <algorithm>

namespace flow::core {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

bool IsNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

std::string Printable(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7F) return "'" + std::string(1, c) + "'";
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string("byte 0x") + kHex[u >> 4] + kHex[u & 0xF];
}

class DotenvParser {
 public:
  DotenvParser(std::string_view text, std::string file) : text_(text), file_(std::move(file)) {}

  Result<std::vector<std::pair<std::string, std::string>>> Parse() {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    while (pos_ < text_.size()) {
      SkipBlanks();
      if (AtLineEnd()) {
        ConsumeLineEnd();
        continue;
      }
      if (text_[pos_] == '#') {
        SkipToLineEnd();
        ConsumeLineEnd();
        continue;
      }
      const Result<void> entry = Entry();
      if (!entry) return entry.error();
    }
    return std::move(pairs_);
  }

 private:
  Result<void> Entry() {
    if (text_.substr(pos_, 6) == "export" && pos_ + 6 < text_.size() && IsBlank(text_[pos_ + 6])) {
      pos_ += 6;
      SkipBlanks();
    }
    const std::size_t name_start = pos_;
    while (pos_ < text_.size() && IsNameChar(text_[pos_])) ++pos_;
    const std::string name(text_.substr(name_start, pos_ - name_start));
    if (name.empty()) {
      return Fail("expected NAME=value, found " + Printable(text_[pos_]), pos_);
    }
    if (!((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z') ||
          name[0] == '_')) {
      return Fail("invalid variable name '" + name + "': it must start with a letter or '_'",
                  name_start);
    }
    SkipBlanks();
    if (pos_ < text_.size() && text_[pos_] == '=') {
      ++pos_;
    } else if (pos_ + 1 < text_.size() && text_[pos_] == ':' && IsBlank(text_[pos_ + 1])) {
      ++pos_;
    } else {
      return Fail("expected '=' after '" + name + "'", pos_,
                  AtLineEnd() ? "write " + name + "= for an empty value" : "");
    }
    SkipBlanks();
    std::string value;
    if (pos_ < text_.size() && (text_[pos_] == '"' || text_[pos_] == '\'' || text_[pos_] == '`')) {
      const Result<void> quoted = Quoted(name, value);
      if (!quoted) return quoted;
    } else {
      Unquoted(value);
    }
    ConsumeLineEnd();
    const auto same = std::find_if(pairs_.begin(), pairs_.end(),
                                   [&](const auto& pair) { return pair.first == name; });
    if (same != pairs_.end()) {
      same->second = std::move(value);
    } else {
      pairs_.emplace_back(name, std::move(value));
    }
    return Ok();
  }

  Result<void> Quoted(const std::string& name, std::string& value) {
    const char quote = text_[pos_];
    const std::size_t open = pos_;
    const int open_line = line_;
    const std::size_t open_line_start = line_start_;
    ++pos_;
    while (true) {
      if (pos_ >= text_.size()) {
        const char* kind = quote == '"'    ? "double-quoted"
                           : quote == '\'' ? "single-quoted"
                                           : "backquoted";
        Error error =
            InvalidArgument(std::string("unterminated ") + kind + " value of '" + name + "'",
                            std::string("close it with ") + quote);
        error.where = SourceSpan{.file = file_,
                                 .line = open_line,
                                 .column = static_cast<int>(open - open_line_start) + 1};
        return error;
      }
      const char c = text_[pos_];
      if (c == quote) {
        ++pos_;
        break;
      }
      if (c == '\\' && quote == '"' && pos_ + 1 < text_.size()) {
        const char next = text_[pos_ + 1];
        switch (next) {
          case 'n':
            value += '\n';
            break;
          case 'r':
            value += '\r';
            break;
          case 't':
            value += '\t';
            break;
          case '"':
            value += '"';
            break;
          case '\\':
            value += '\\';
            break;
          case '$':
            value += '$';
            break;
          default:
            value += '\\';
            ++pos_;
            continue;  // the next character is read on its own (it may be a newline)
        }
        pos_ += 2;
        continue;
      }
      if (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
        ++pos_;  // CRLF inside a value becomes LF
        continue;
      }
      if (c == '\n') {
        ++line_;
        line_start_ = pos_ + 1;
      }
      value += c;
      ++pos_;
    }
    SkipBlanks();
    if (pos_ < text_.size() && text_[pos_] == '#') SkipToLineEnd();
    if (!AtLineEnd()) {
      return Fail("unexpected text after the closing quote of '" + name + "'", pos_,
                  "put the whole value inside the quotes");
    }
    return Ok();
  }

  void Unquoted(std::string& value) {
    const std::size_t start = pos_;
    SkipToLineEnd();
    std::size_t end = std::max(pos_, start);
    for (std::size_t i = start; i < end; ++i) {
      if (text_[i] == '#' && i > 0 && IsBlank(text_[i - 1])) {
        end = i;
        break;
      }
    }
    while (end > start && (IsBlank(text_[end - 1]) || text_[end - 1] == '\r')) --end;
    value.assign(text_.substr(start, end - start));
  }

  Result<void> Fail(std::string message, std::size_t at, std::string hint = {}) {
    Error error = InvalidArgument(std::move(message), std::move(hint));
    error.where =
        SourceSpan{.file = file_, .line = line_, .column = static_cast<int>(at - line_start_) + 1};
    return error;
  }

  bool AtLineEnd() const {
    return pos_ >= text_.size() || text_[pos_] == '\n' ||
           (text_[pos_] == '\r' && (pos_ + 1 == text_.size() || text_[pos_ + 1] == '\n'));
  }
  void SkipBlanks() {
    while (pos_ < text_.size() && IsBlank(text_[pos_])) ++pos_;
  }
  void SkipToLineEnd() {
    while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
    // A CR right before the LF belongs to the line end.
    if (pos_ > 0 && pos_ <= text_.size() && text_[pos_ - 1] == '\r' && pos_ < text_.size()) --pos_;
  }
  void ConsumeLineEnd() {
    if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') {
      ++pos_;
      ++line_;
      line_start_ = pos_;
    }
  }

  std::string_view text_;
  std::string file_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::size_t line_start_ = 0;
  std::vector<std::pair<std::string, std::string>> pairs_;
};

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> ParseDotenv(std::string_view text,
                                                                     std::string file) {
  return DotenvParser(text, std::move(file)).Parse();
}

}  // namespace flow::core

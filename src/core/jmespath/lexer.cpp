#include "core/jmespath/lexer.hpp"

#include <charconv>
#include <optional>
#include <utility>

#include "core/jmespath/errors.hpp"

namespace flow::core::jmespath::detail {
namespace {

constexpr std::int64_t kNumberLimit = std::int64_t{1} << 62;

bool IsIdentifierStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsIdentifierPart(char c) { return IsIdentifierStart(c) || (c >= '0' && c <= '9'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    while (true) {
      while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
      if (pos_ >= text_.size()) break;
      Token token;
      token.offset = pos_;
      if (auto error = Next(token)) return std::move(*error);
      tokens.push_back(std::move(token));
    }
    Token eof;
    eof.offset = text_.size();
    tokens.push_back(std::move(eof));
    return tokens;
  }

 private:
  // Fills `token` from the text at pos_ and advances; an error when the text is not a token.
  std::optional<Error> Next(Token& token) {
    const char c = text_[pos_];
    const auto simple = [&](TokenKind kind, std::size_t length) -> std::optional<Error> {
      token.kind = kind;
      token.text = std::string(text_.substr(pos_, length));
      pos_ += length;
      return std::nullopt;
    };
    const char next = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
    if (IsIdentifierStart(c)) {
      std::size_t end = pos_ + 1;
      while (end < text_.size() && IsIdentifierPart(text_[end])) ++end;
      return simple(TokenKind::kUnquotedIdentifier, end - pos_);
    }
    if (IsDigit(c) || (c == '-' && IsDigit(next))) return Number(token);
    switch (c) {
      case '.':
        return simple(TokenKind::kDot, 1);
      case '*':
        return simple(TokenKind::kStar, 1);
      case ']':
        return simple(TokenKind::kRbracket, 1);
      case '{':
        return simple(TokenKind::kLbrace, 1);
      case '}':
        return simple(TokenKind::kRbrace, 1);
      case '(':
        return simple(TokenKind::kLparen, 1);
      case ')':
        return simple(TokenKind::kRparen, 1);
      case ',':
        return simple(TokenKind::kComma, 1);
      case ':':
        return simple(TokenKind::kColon, 1);
      case '@':
        return simple(TokenKind::kCurrent, 1);
      case '[':
        if (next == ']') return simple(TokenKind::kFlatten, 2);
        if (next == '?') return simple(TokenKind::kFilter, 2);
        return simple(TokenKind::kLbracket, 1);
      case '|':
        return next == '|' ? simple(TokenKind::kOr, 2) : simple(TokenKind::kPipe, 1);
      case '&':
        return next == '&' ? simple(TokenKind::kAnd, 2) : simple(TokenKind::kExpref, 1);
      case '!':
        return next == '=' ? simple(TokenKind::kNe, 2) : simple(TokenKind::kNot, 1);
      case '<':
        return next == '=' ? simple(TokenKind::kLte, 2) : simple(TokenKind::kLt, 1);
      case '>':
        return next == '=' ? simple(TokenKind::kGte, 2) : simple(TokenKind::kGt, 1);
      case '=':
        if (next == '=') return simple(TokenKind::kEq, 2);
        return SyntaxError(text_, pos_, "'=' is not an operator (did you mean '=='?)");
      case '"':
        return QuotedIdentifier(token);
      case '\'':
        return RawString(token);
      case '`':
        return JsonLiteral(token);
      default:
        break;
    }
    if (c == '-') return SyntaxError(text_, pos_, "'-' must be followed by a digit");
    return SyntaxError(text_, pos_, "unexpected character " + DescribeCharacter());
  }

  std::string DescribeCharacter() const {
    const auto byte = static_cast<unsigned char>(text_[pos_]);
    if (byte < 0x20 || byte == 0x7F) {
      static constexpr char kHex[] = "0123456789abcdef";
      return std::string("0x") + kHex[byte >> 4] + kHex[byte & 0xF];
    }
    std::size_t length = 1;
    while (pos_ + length < text_.size() &&
           (static_cast<unsigned char>(text_[pos_ + length]) & 0xC0) == 0x80) {
      ++length;
    }
    return "'" + std::string(text_.substr(pos_, length)) + "'";
  }

  std::optional<Error> Number(Token& token) {
    std::size_t end = pos_ + 1;
    while (end < text_.size() && IsDigit(text_[end])) ++end;
    token.kind = TokenKind::kNumber;
    token.text = std::string(text_.substr(pos_, end - pos_));
    std::int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text_.data() + pos_, text_.data() + end, value);
    (void)ptr;
    if (ec == std::errc::result_out_of_range) {
      value = text_[pos_] == '-' ? -kNumberLimit : kNumberLimit;
    }
    if (value > kNumberLimit) value = kNumberLimit;
    if (value < -kNumberLimit) value = -kNumberLimit;
    token.number = value;
    pos_ = end;
    return std::nullopt;
  }

  // The end (index of the closing delimiter) of a delimited token starting at pos_, where a
  // backslash protects the next character; npos when unterminated.
  std::size_t FindClosing(char delimiter) const {
    for (std::size_t i = pos_ + 1; i < text_.size(); ++i) {
      if (text_[i] == '\\') {
        ++i;
      } else if (text_[i] == delimiter) {
        return i;
      }
    }
    return std::string_view::npos;
  }

  std::optional<Error> QuotedIdentifier(Token& token) {
    const std::size_t close = FindClosing('"');
    if (close == std::string_view::npos) {
      return SyntaxError(text_, pos_, "unterminated quoted identifier");
    }
    const std::string_view lexeme = text_.substr(pos_, close + 1 - pos_);
    Value parsed = Value::parse(lexeme, nullptr, false);
    if (!parsed.is_string()) {
      return SyntaxError(
          text_, pos_,
          "invalid quoted identifier " + std::string(lexeme) + " (it must be a valid JSON string)");
    }
    token.kind = TokenKind::kQuotedIdentifier;
    token.text = parsed.get<std::string>();
    pos_ = close + 1;
    return std::nullopt;
  }

  // 'raw string': only \' is an escape; every other character, backslashes included, is kept.
  std::optional<Error> RawString(Token& token) {
    const std::size_t close = FindClosing('\'');
    if (close == std::string_view::npos) {
      return SyntaxError(text_, pos_, "unterminated raw string literal");
    }
    std::string value;
    for (std::size_t i = pos_ + 1; i < close; ++i) {
      if (text_[i] == '\\' && i + 1 < close && text_[i + 1] == '\'') {
        value += '\'';
        ++i;
      } else if (text_[i] == '\\' && i + 1 < close) {
        value += text_[i];
        value += text_[i + 1];
        ++i;
      } else {
        value += text_[i];
      }
    }
    token.kind = TokenKind::kLiteral;
    token.text = std::string(text_.substr(pos_, close + 1 - pos_));
    token.literal = std::move(value);
    pos_ = close + 1;
    return std::nullopt;
  }

  // `json`: \` stands for a backtick. Text that is not JSON is read as a string, the legacy form
  // (`foo` is "foo") that older JMESPath versions and their users still rely on.
  std::optional<Error> JsonLiteral(Token& token) {
    const std::size_t close = FindClosing('`');
    if (close == std::string_view::npos) {
      return SyntaxError(text_, pos_, "unterminated json literal");
    }
    std::string json;
    for (std::size_t i = pos_ + 1; i < close; ++i) {
      if (text_[i] == '\\' && i + 1 < close && text_[i + 1] == '`') {
        json += '`';
        ++i;
      } else if (text_[i] == '\\' && i + 1 < close) {
        json += text_[i];
        json += text_[i + 1];
        ++i;
      } else {
        json += text_[i];
      }
    }
    Value parsed = Value::parse(json, nullptr, false);
    if (parsed.is_discarded()) {
      std::size_t start = 0;
      while (start < json.size() && IsSpace(json[start])) ++start;
      parsed = Value::parse("\"" + json.substr(start) + "\"", nullptr, false);
      if (!parsed.is_string()) {
        return SyntaxError(
            text_, pos_,
            "invalid json literal " + std::string(text_.substr(pos_, close + 1 - pos_)));
      }
    }
    token.kind = TokenKind::kLiteral;
    token.text = std::string(text_.substr(pos_, close + 1 - pos_));
    token.literal = std::move(parsed);
    pos_ = close + 1;
    return std::nullopt;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

Result<std::vector<Token>> Tokenize(std::string_view text) { return Lexer(text).Run(); }

std::string DescribeToken(const Token& token) {
  switch (token.kind) {
    case TokenKind::kEof:
      return "end of expression";
    case TokenKind::kUnquotedIdentifier:
      return "identifier '" + token.text + "'";
    case TokenKind::kQuotedIdentifier:
      return "quoted identifier \"" + token.text + "\"";
    case TokenKind::kLiteral:
      return "literal " + token.text;
    case TokenKind::kNumber:
      return "number " + token.text;
    default:
      return "'" + token.text + "'";
  }
}

}  // namespace flow::core::jmespath::detail

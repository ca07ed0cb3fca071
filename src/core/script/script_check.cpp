#include "core/script/script_check.hpp"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <unordered_set>

namespace flow::core {
namespace {

constexpr std::size_t kMaxProblems = 100;

enum class Kind : std::uint8_t { kName, kPrivate, kNumber, kString, kTemplate, kRegex, kPunct };
// What the tokens so far leave the parser expecting. It decides whether '/' starts a regex (not
// after an operand) and whether '{' opens a block (statement) or an object literal (operand).
enum class State : std::uint8_t { kStatement, kOperand, kAfter, kAmbiguous };

struct Token {
  Kind kind = Kind::kPunct;
  State before = State::kStatement;
  bool newline_before = false;
  bool property = false;  // a name after '.' or '?.'
  bool key = false;       // a name or string where an object literal expects a key
  bool in_class = false;  // directly inside a class body
  bool member = false;    // a '[' that opens a computed member access
  std::uint32_t offset = 0, size = 0;
  std::int32_t match = -1;  // an opening bracket's closing token
  std::int32_t name = -1;   // index into names_ when the name had \u escapes
};

struct Context {  // an open bracket; the bottom one stands for the whole source
  char open = 0;  // '(', '[', '{', or '`' for a template's ${
  State after = State::kAfter;
  bool control = false, object = false, class_body = false;
  int ternary = 0;  // '?' still waiting for its ':'
  std::size_t token = 0, origin = 0;
};

struct Pending {  // a `function` or `class` whose body '{' has not come yet
  std::size_t depth;
  State after;
  bool is_class;
};

bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsHex(unsigned char c) { return IsDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }
int HexValue(unsigned char c) { return IsDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10; }
bool IsIdentAscii(unsigned char c) {
  return IsDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '$' || c == '_';
}
bool IsLineBreak(char32_t c) { return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029; }
bool IsSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}
bool IsAny(std::string_view word, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// Length of the well-formed UTF-8 sequence at s[i] (no overlongs, no surrogates), 0 if none.
std::size_t Utf8Length(std::string_view s, std::size_t i, char32_t* cp) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = byte(0);
  if (c < 0x80) return *cp = c, 1;
  const std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (len == 0 || c > 0xF4 || i + len > s.size()) return 0;
  char32_t v = c & (0x3F >> (len - 1));
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(k) & 0xC0) != 0x80) return 0;
    v = (v << 6) | (byte(k) & 0x3F);
  }
  const char32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  return *cp = v, len;
}

void AppendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
    return;
  }
  const int len = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  out += static_cast<char>((0xF00 >> len) | (c >> (6 * (len - 1))));
  for (int k = len - 2; k >= 0; --k) out += static_cast<char>(0x80 | ((c >> (6 * k)) & 0x3F));
}

// The escape after "\u" at s[i], "XXXX" or "{X…}"; advances i past it.
bool ReadUnicodeEscape(std::string_view s, std::size_t& i, char32_t& cp) {
  cp = 0;
  if (i < s.size() && s[i] == '{') {
    std::size_t k = i + 1;
    for (; k < s.size() && IsHex(s[k]) && cp <= 0x10FFFF; ++k) cp = cp * 16 + HexValue(s[k]);
    if (k == i + 1 || k >= s.size() || s[k] != '}' || cp > 0x10FFFF) return false;
    i = k + 1;
    return true;
  }
  if (i + 4 > s.size()) return false;
  for (std::size_t k = i; k < i + 4; ++k) {
    if (!IsHex(s[k])) return false;
    cp = cp * 16 + HexValue(s[k]);
  }
  i += 4;
  return true;
}

// The value of a string or template body, for keys like x["\x63onstructor"] or a line
// continuation inside 'con…structor' (sloppy-mode octal escapes included).
std::string Unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i++];
      continue;
    }
    const char c = s[i + 1];
    i += 2;
    char32_t cp = 0;
    if (c == 'u' && ReadUnicodeEscape(s, i, cp)) {
      AppendUtf8(out, cp);
    } else if (c == 'x' && i + 1 < s.size() && IsHex(s[i]) && IsHex(s[i + 1])) {
      AppendUtf8(out, HexValue(s[i]) * 16 + HexValue(s[i + 1]));
      i += 2;
    } else if (c >= '0' && c <= '7') {
      cp = c - '0';
      for (int k = 0;
           k < 2 && i < s.size() && s[i] >= '0' && s[i] <= '7' && cp * 8 + (s[i] - '0') <= 0xFF;
           ++k) {
        cp = cp * 8 + (s[i++] - '0');
      }
      AppendUtf8(out, cp);
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i < s.size() && s[i] == '\n') ++i;
    } else if (c == '\xE2' && s.substr(i, 1) == "\x80" && i + 1 < s.size() &&
               (s[i + 1] == '\xA8' || s[i + 1] == '\xA9')) {
      i += 2;  // a continuation with U+2028 or U+2029
    } else {
      const std::string_view simple = "n\nt\tr\rb\bf\fv\v";
      const std::size_t at = simple.find(c);
      out += at != std::string_view::npos && at % 2 == 0 ? simple[at + 1] : c;
    }
  }
  return out;
}

class Lexer {
 public:
  Lexer(std::string_view source, ScriptKind kind)
      : src_(source),
        state_(kind == ScriptKind::kExpression ? State::kOperand : State::kStatement) {
    stack_.push_back(Context{});
  }

  bool Run() {
    if (At(0, "#!")) SkipLine();
    while (SkipTrivia() && pos_ < src_.size()) {
      if (!LexToken()) return false;
    }
    if (!problems.empty()) return false;
    if (stack_.size() == 1) return true;
    const Context& top = stack_.back();
    if (top.open == '`')
      return Fail(top.origin, "unterminated template literal", "close it with '`'");
    return Fail(top.origin, std::string("unclosed '") + top.open + "'", "add the closing bracket");
  }

  std::string_view Text(const Token& t) const { return src_.substr(t.offset, t.size); }
  std::string_view NameOf(const Token& t) const {
    if (t.name >= 0) return names_[t.name];
    return t.kind == Kind::kPrivate ? Text(t).substr(1) : Text(t);
  }
  bool IsPunct(std::size_t i, std::string_view p) const {
    return i < tokens.size() && tokens[i].kind == Kind::kPunct && Text(tokens[i]) == p;
  }
  bool IsWord(std::size_t i, std::string_view w) const {  // a name used as a word, not a key
    return i < tokens.size() && tokens[i].kind == Kind::kName && !tokens[i].property &&
           !tokens[i].key && NameOf(tokens[i]) == w;
  }

  std::vector<Token> tokens;
  std::vector<ScriptProblem> problems;

 private:
  bool At(std::size_t pos, std::string_view s) const {
    return pos <= src_.size() && src_.substr(pos).starts_with(s);
  }
  bool AtLineBreak(std::size_t pos) const {
    return At(pos, "\n") || At(pos, "\r") || At(pos, "\xE2\x80\xA8") || At(pos, "\xE2\x80\xA9");
  }
  bool Fail(std::size_t offset, std::string message, std::string hint = {}) {
    problems.push_back({.message = std::move(message), .offset = offset, .hint = std::move(hint)});
    return false;
  }
  void SkipLine() {
    while (pos_ < src_.size() && !AtLineBreak(pos_)) ++pos_;
  }

  bool SkipTrivia() {
    while (pos_ < src_.size()) {
      char32_t cp = 0;
      const std::size_t len = std::max<std::size_t>(1, Utf8Length(src_, pos_, &cp));
      if (IsLineBreak(cp)) {
        pos_ += len;
        newline_ = true;
        dirty_ = false;
      } else if (IsSpace(cp)) {
        pos_ += len;
      } else if (At(pos_, "//") || At(pos_, "<!--") || (!dirty_ && At(pos_, "-->"))) {
        SkipLine();  // HTML-like comments are comments in scripts (Annex B)
      } else if (At(pos_, "/*")) {
        const std::size_t end = src_.find("*/", pos_ + 2);
        if (end == std::string_view::npos)
          return Fail(pos_, "unterminated comment", "close it with '*/'");
        for (std::size_t k = pos_; k < end && !newline_; ++k) newline_ = AtLineBreak(k);
        if (newline_) dirty_ = false;
        pos_ = end + 2;
      } else {
        return true;
      }
    }
    return true;
  }

  Token& Emit(Kind kind, std::size_t start) {
    Token t{.kind = kind, .before = state_, .newline_before = newline_};
    t.property = kind != Kind::kPunct &&
                 (IsPunct(tokens.size() - 1, ".") || IsPunct(tokens.size() - 1, "?."));
    t.offset = static_cast<std::uint32_t>(start);
    t.size = static_cast<std::uint32_t>(pos_ - start);
    newline_ = false;
    dirty_ = true;
    tokens.push_back(t);
    return tokens.back();
  }
  bool KeyPosition() const {
    return stack_.back().object &&
           (IsPunct(tokens.size() - 1, "{") || IsPunct(tokens.size() - 1, ","));
  }

  bool LexToken() {
    const std::size_t start = pos_;
    const auto c = static_cast<unsigned char>(src_[pos_]);
    const auto name_start = [](unsigned char b) {
      return (IsIdentAscii(b) && !IsDigit(b)) || b == '\\' || b >= 0x80;
    };
    if (newline_ && IsWord(tokens.size() - 1, "return")) state_ = State::kStatement;  // ASI
    const auto word_next = [&](std::string_view w) {
      return At(pos_, w) && (pos_ + w.size() == src_.size() || !name_start(src_[pos_ + w.size()]));
    };
    if (newline_ && state_ == State::kAmbiguous &&
        (c == '{' || word_next("function") || word_next("class"))) {
      // A generator's `yield` ends at the line break; a plain name `yield` ends there by ASI.
      // `await` in an async function takes the operand; a plain name `await` ends by ASI.
      if (IsWord(tokens.size() - 1, "await")) {
        return Fail(start, "a line break right after 'await' is ambiguous here",
                    "put the operand on the same line as 'await'");
      }
      state_ = State::kStatement;
    }
    if (name_start(c)) return LexName(start, Kind::kName);
    if (c == '#') {
      ++pos_;
      if (pos_ < src_.size() && name_start(src_[pos_])) return LexName(start, Kind::kPrivate);
      return Fail(start, "unexpected character '#'");
    }
    if (IsDigit(c) || (c == '.' && pos_ + 1 < src_.size() && IsDigit(src_[pos_ + 1])))
      return LexNumber(start);
    if (c == '"' || c == '\'') return LexString(start);
    if (c == '`') return ++pos_, LexTemplate(start, start);
    if (c == '}' && stack_.back().open == '`') {
      const std::size_t origin = stack_.back().origin;
      stack_.pop_back();
      DropPending();
      return ++pos_, LexTemplate(start, origin);
    }
    if (c == '/' && state_ == State::kAmbiguous) {
      return Fail(start, "a '/' right after 'await' or 'yield' is ambiguous",
                  "wrap the operand in parentheses");
    }
    if (c == '/' && state_ != State::kAfter) return LexRegex(start);
    return LexPunct(start);
  }

  bool LexName(std::size_t start, Kind kind) {
    std::string decoded;
    bool escaped = false;
    while (pos_ < src_.size()) {
      const auto c = static_cast<unsigned char>(src_[pos_]);
      char32_t cp = c;
      if (c == '\\') {
        std::size_t i = pos_ + 2;
        if (!At(pos_, "\\u") || !ReadUnicodeEscape(src_, i, cp)) {
          return Fail(pos_, "invalid escape in identifier", "write the name without escapes");
        }
        AppendUtf8(decoded, cp);
        escaped = true;
        pos_ = i;
        continue;
      }
      std::size_t len = 1;
      if (c >= 0x80) {
        len = Utf8Length(src_, pos_, &cp);
        if (len == 0 || IsSpace(cp) || IsLineBreak(cp)) break;
      } else if (!IsIdentAscii(c)) {
        break;
      }
      decoded.append(src_.substr(pos_, len));
      pos_ += len;
    }
    const State before = state_;
    const bool key = KeyPosition();
    const bool in_class = stack_.back().class_body;
    Token& t = Emit(kind, start);
    t.in_class = in_class;
    if (escaped) {
      t.name = static_cast<std::int32_t>(names_.size());
      names_.push_back(decoded);
    }
    state_ = State::kAfter;
    if (kind == Kind::kPrivate || t.property) return true;
    if (key) return t.key = true;
    const std::size_t i = tokens.size() - 1;
    const std::string_view w = decoded;
    if (IsAny(w, {"return", "typeof", "instanceof", "in", "new", "delete", "void", "throw", "case",
                  "extends", "const", "var"})) {
      state_ = State::kOperand;
    } else if (IsAny(w, {"else", "do", "try", "finally", "catch", "break", "continue"})) {
      state_ = State::kStatement;
    } else if (w == "await" || w == "yield") {
      state_ = State::kAmbiguous;  // keywords in async functions and generators, names elsewhere
    } else if (w == "of" && stack_.back().control && before == State::kAfter &&
               !IsWord(i - 1, "let")) {
      state_ = State::kOperand;  // for (x of …); `for (let of of …)` names a variable `of` first
    } else if (w == "function" || w == "class") {
      State b = before;
      if (IsWord(i - 1, "async") && !tokens[i].newline_before) b = tokens[i - 1].before;
      const bool expression = b == State::kOperand || b == State::kAmbiguous;
      pending_.push_back(
          {stack_.size(), expression ? State::kAfter : State::kStatement, w == "class"});
    }
    return true;
  }

  bool LexNumber(std::size_t start) {
    const auto digits = [&](bool hex) {
      while (pos_ < src_.size() &&
             ((hex ? IsHex(src_[pos_]) : IsDigit(src_[pos_])) || src_[pos_] == '_'))
        ++pos_;
    };
    if (src_[pos_] == '0' && pos_ + 1 < src_.size() &&
        std::string_view("xXoObB").find(src_[pos_ + 1]) != std::string_view::npos) {
      pos_ += 2;
      digits(true);
    } else {
      digits(false);
      if (At(pos_, ".")) ++pos_, digits(false);
      if (At(pos_, "e") || At(pos_, "E")) {
        std::size_t p = pos_ + 1;
        if (At(p, "+") || At(p, "-")) ++p;
        if (p < src_.size() && IsDigit(src_[p])) pos_ = p, digits(false);
      }
    }
    if (At(pos_, "n")) ++pos_;
    Emit(Kind::kNumber, start);
    state_ = State::kAfter;
    return true;
  }

  bool LexString(std::size_t start) {
    const char quote = src_[pos_++];
    while (pos_ < src_.size()) {
      const char c = src_[pos_];
      if (c == quote) {
        ++pos_;
        const bool key = KeyPosition();
        Emit(Kind::kString, start).key = key;
        state_ = State::kAfter;
        return true;
      }
      if (c == '\n' || c == '\r') break;
      pos_ += c != '\\' ? 1 : At(pos_ + 1, "\r\n") ? 3 : 2;
    }
    return Fail(start, "unterminated string", "close it with the same quote on the same line");
  }

  bool LexTemplate(std::size_t start, std::size_t origin) {  // pos_ is after '`' or '}'
    while (pos_ < src_.size()) {
      if (At(pos_, "`")) {
        ++pos_;
        Emit(Kind::kTemplate, start);
        state_ = State::kAfter;
        return true;
      }
      if (At(pos_, "${")) {
        pos_ += 2;
        Emit(Kind::kTemplate, start);
        stack_.push_back({.open = '`', .token = tokens.size() - 1, .origin = origin});
        state_ = State::kOperand;
        return true;
      }
      pos_ += At(pos_, "\\") ? 2 : 1;
    }
    return Fail(origin, "unterminated template literal", "close it with '`'");
  }

  bool LexRegex(std::size_t start) {
    bool in_class = false;
    for (++pos_; pos_ < src_.size() && !AtLineBreak(pos_); ++pos_) {
      const char c = src_[pos_];
      if (c == '\\') {
        if (AtLineBreak(pos_ + 1)) break;
        ++pos_;
      } else if (c == '[' || c == ']') {
        in_class = c == '[';
      } else if (c == '/' && !in_class) {
        for (++pos_; pos_ < src_.size() && IsIdentAscii(src_[pos_]);) ++pos_;
        Emit(Kind::kRegex, start);
        state_ = State::kAfter;
        return true;
      }
    }
    return Fail(start, "unterminated regular expression", "close it with '/' on the same line");
  }

  bool LexPunct(std::size_t start) {
    static constexpr std::string_view kLong[] = {
        ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "?\?=",
        "=>",   "==",  "!=",  "<=",  ">=",  "&&",  "||",  "??",  "?.",  "++",  "--",
        "+=",   "-=",  "*=",  "/=",  "%=",  "&=",  "|=",  "^=",  "**",  "<<",  ">>"};
    std::size_t len = 0;
    for (const std::string_view p : kLong) {
      if (At(pos_, p) && !(p == "?." && pos_ + 2 < src_.size() && IsDigit(src_[pos_ + 2]))) {
        len = p.size();
        break;
      }
    }
    if (len == 0 &&
        std::string_view("{}()[];,<>+-*/%&|^!~?:=.").find(src_[pos_]) == std::string_view::npos) {
      const auto c = static_cast<unsigned char>(src_[pos_]);
      return Fail(start, c >= 0x20 && c < 0x7F
                             ? std::string("unexpected character '") + src_[pos_] + "'"
                             : "unexpected control character");
    }
    pos_ += std::max<std::size_t>(len, 1);
    const State before = state_;
    const bool newline = newline_;
    Emit(Kind::kPunct, start);
    const std::string_view p = src_.substr(start, pos_ - start);
    state_ = State::kOperand;
    if (p == "(" || p == "[" || p == "{") {
      Open(p[0], before);
    } else if (p == ")" || p == "]" || p == "}") {
      return Close(p[0], start);
    } else if (p == ";") {
      state_ = State::kStatement;
    } else if (p == "?") {
      ++stack_.back().ternary;
    } else if (p == ":") {
      Context& top = stack_.back();
      if (top.ternary > 0) {
        --top.ternary;
      } else if (!top.object) {
        state_ = State::kStatement;  // a label, `case x:`, `default:`
      }
    } else if (p == "++" || p == "--") {  // postfix only on the operand's line
      if (before == State::kAmbiguous) state_ = State::kAmbiguous;
      if (before == State::kAfter && !newline) state_ = State::kAfter;
    }
    return true;
  }

  void Open(char c, State before) {
    const std::size_t i = tokens.size() - 1;
    Context ctx{.open = c, .token = i, .origin = tokens[i].offset};
    if (c == '(') {
      ctx.control = IsWord(i - 1, "if") || IsWord(i - 1, "while") || IsWord(i - 1, "for") ||
                    IsWord(i - 1, "with") || IsWord(i - 1, "switch") || IsWord(i - 1, "catch") ||
                    (IsWord(i - 1, "await") && IsWord(i - 2, "for"));
      ctx.after = ctx.control ? State::kStatement : State::kAfter;  // if (x) /re/.test(y)
    } else if (c == '[') {
      tokens[i].member =
          before == State::kAfter || before == State::kAmbiguous || IsPunct(i - 1, "?.");
    } else if (!pending_.empty() && pending_.back().depth == stack_.size() &&
               before == State::kAfter) {
      ctx.after = pending_.back().after;  // function or class body: x = function(){} / 2
      ctx.class_body = pending_.back().is_class;
      pending_.pop_back();
      state_ = State::kStatement;
    } else if (IsPunct(i - 1, "=>") || !(before == State::kOperand || before == State::kAmbiguous ||
                                         IsWord(i - 1, "let"))) {
      ctx.after = State::kStatement;  // a block or an arrow body: `{} /re/` is a regex
      state_ = State::kStatement;
    } else {
      ctx.object = true;  // an object literal or pattern: `x = {} / 2` divides
    }
    stack_.push_back(ctx);
  }

  bool Close(char c, std::size_t start) {
    const Context& top = stack_.back();
    const char want = top.open == '(' ? ')' : top.open == '[' ? ']' : top.open == '{' ? '}' : 0;
    if (want != c) {
      if (stack_.size() == 1)
        return Fail(start, std::string("unbalanced '") + c + "'", "remove it or open it");
      return Fail(start, std::string("mismatched '") + c + "'",
                  top.open == '`'
                      ? "close the template's '${' with '}'"
                      : std::string("the innermost open bracket is '") + top.open + "'");
    }
    tokens[top.token].match = static_cast<std::int32_t>(tokens.size() - 1);
    state_ = top.after;
    stack_.pop_back();
    DropPending();
    return true;
  }

  void DropPending() {
    while (!pending_.empty() && pending_.back().depth > stack_.size()) pending_.pop_back();
  }

  std::string_view src_;
  std::size_t pos_ = 0;
  State state_;
  bool newline_ = false;  // a line break since the last token
  bool dirty_ = false;    // a token on the current line (else "-->" starts a comment)
  std::vector<Context> stack_;
  std::vector<Pending> pending_;
  std::vector<std::string> names_;
};

constexpr std::string_view kModules =
    "flowtest scripts are not modules; use variables and captures";
constexpr std::string_view kHost =
    "scripts run in a sandbox without the host process or its global object";
constexpr std::string_view kCode = "generating code at run time is not allowed";
constexpr std::string_view kProto = "changing prototypes is not allowed; use plain objects";
constexpr std::string_view kMeta = "this API is not available in the sandbox";
constexpr std::string_view kNetwork = "send HTTP requests with a flowtest step";
constexpr std::string_view kTimers = "scripts run synchronously; there are no timers";

struct Denied {
  std::string_view names;  // separated by spaces
  std::string_view hint;
  bool member;  // also denied as a property name: x.eval, x["constructor"]
};
constexpr Denied kDenied[] = {
    {"require import export module exports", kModules, false},
    {"process globalThis window self global Worker", kHost, false},
    {"eval Function constructor", kCode, true},
    {"__proto__ __defineGetter__ __defineSetter__ __lookupGetter__ __lookupSetter__", kProto, true},
    {"Reflect Proxy WebAssembly SharedArrayBuffer Atomics", kMeta, false},
    {"XMLHttpRequest fetch", kNetwork, false},
    {"setTimeout setInterval setImmediate", kTimers, false}};

const Denied* FindDenied(std::string_view name) {
  for (const Denied& d : kDenied) {
    for (std::size_t at = d.names.find(name); !name.empty() && at != std::string_view::npos;
         at = d.names.find(name, at + 1)) {
      const std::size_t end = at + name.size();
      if ((at == 0 || d.names[at - 1] == ' ') && (end == d.names.size() || d.names[end] == ' ')) {
        return &d;
      }
    }
  }
  return nullptr;
}

class Checker {
 public:
  Checker(const Lexer& lexer, std::vector<ScriptProblem>& out, std::vector<std::string>& names)
      : lx_(lexer), t_(lexer.tokens), out_(out), names_(names) {}

  void Run() {
    const std::size_t n = t_.size();
    literals_.assign(n + 1, 0);  // literals_[i]: string, template and regex tokens before i
    for (std::size_t i = 0; i < n; ++i) {
      const Kind k = t_[i].kind;
      literals_[i + 1] =
          literals_[i] + (k == Kind::kString || k == Kind::kTemplate || k == Kind::kRegex);
    }
    chain_end_.assign(n, 0);  // the last token of the member chain `.a[b]?.c` that follows i
    for (std::size_t i = n; i-- > 0;) {
      chain_end_[i] = i;
      const bool dot = lx_.IsPunct(i + 1, ".") || lx_.IsPunct(i + 1, "?.");
      const std::size_t k = i + 1 + dot;
      if (dot && k < n && (t_[k].kind == Kind::kName || t_[k].kind == Kind::kPrivate)) {
        chain_end_[i] = chain_end_[k];
      } else if (k < n && t_[k].member && t_[k].match > 0) {
        chain_end_[i] = chain_end_[t_[k].match];
      }
    }
    for (std::size_t i = 0; i < n && out_.size() < kMaxProblems; ++i) CheckToken(i);
    for (std::size_t i = 0; i < n; ++i) CollectName(i);
  }

 private:
  void Add(const Token& at, std::string message, std::string_view hint) {
    if (out_.size() < kMaxProblems) {
      out_.push_back(
          {.message = std::move(message), .offset = at.offset, .hint = std::string(hint)});
    }
  }

  void CheckToken(std::size_t i) {
    const Token& t = t_[i];
    const bool colon_next = lx_.IsPunct(i + 1, ":");
    if (t.kind == Kind::kString && t.key && colon_next &&
        Unescape(lx_.Text(t).substr(1, t.size - 2)) == "__proto__") {
      Add(t, "'__proto__' is not allowed as an object key", kProto);
    }
    if (t.kind == Kind::kPunct && t.member && t.match > 0) {
      const std::size_t first = i + 1, last = static_cast<std::size_t>(t.match);
      const Kind k = t_[first].kind;
      if (last == first + 1 && (k == Kind::kString || k == Kind::kTemplate)) {
        const std::string_view raw = lx_.Text(t_[first]);
        CheckMember(Unescape(raw.substr(1, raw.size() - 2)), t, last, i - 1);
      } else if (literals_[last] > literals_[first]) {
        Add(t, "computed property access with a built string is not allowed",
            "use an identifier key (obj[key]) or one string literal (obj[\"name\"])");
      }
    }
    if (t.kind != Kind::kName) return;
    const std::string_view name = lx_.NameOf(t);
    if (t.property) return CheckMember(name, t, i, i - 2);
    if (t.key && colon_next) {  // `{ process: 1 }`; method names are checked like references
      if (name == "__proto__") Add(t, "'__proto__' is not allowed as an object key", kProto);
      return;
    }
    const bool method_start = lx_.IsPunct(i - 1, "{") || lx_.IsPunct(i - 1, "}") ||
                              lx_.IsPunct(i - 1, ";") || lx_.IsWord(i - 1, "static");
    if (t.in_class && name == "constructor" && lx_.IsPunct(i + 1, "(") && method_start) return;
    if (name == "with" || name == "debugger") {
      Add(t, "'" + std::string(name) + "' statements are not allowed",
          name == "with" ? "name the object explicitly" : "remove the statement");
    } else if (const Denied* d = FindDenied(name)) {
      Add(t, "'" + std::string(name) + "' is not available in flowtest JavaScript", d->hint);
    }
  }

  // A property `name` read at `at`; `end` is its last token, `object` the token before the access.
  void CheckMember(std::string_view name, const Token& at, std::size_t end, std::size_t object) {
    if (const Denied* d = FindDenied(name); d != nullptr && d->member) {
      Add(at, "access to '" + std::string(name) + "' is not allowed", d->hint);
    } else if (name == "callee" && lx_.IsWord(object, "arguments")) {
      Add(at, "'arguments.callee' is not allowed", "name the function instead");
    } else if (name == "prototype" && IsWritten(end)) {
      Add(at, "assignment to a prototype is not allowed", kProto);
    }
  }

  bool IsWritten(std::size_t end) const {
    const std::size_t k = chain_end_[end] + 1;
    if (k >= t_.size() || t_[k].kind != Kind::kPunct) return false;
    const std::string_view p = lx_.Text(t_[k]);
    if (p == "++" || p == "--") return !t_[k].newline_before;
    return IsAny(p, {"=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "&=", "|=",
                     "^=", "&&=", "||=", "?\?="});
  }

  void CollectName(std::size_t i) {
    const Token& t = t_[i];
    if (t.kind != Kind::kName || t.property) return;
    if (t.key && (lx_.IsPunct(i + 1, ":") || lx_.IsPunct(i + 1, "("))) return;  // key, method
    if (lx_.IsPunct(i + 1, ":") && !lx_.IsPunct(i - 1, "?")) {
      // `label:` at a statement start; a conditional's `a ? b : c` keeps b
      bool in_ternary = false;
      for (std::size_t k = i; k-- > 0;) {
        if (lx_.IsPunct(k, "?")) { in_ternary = true; break; }
        if (lx_.IsPunct(k, ";") || lx_.IsPunct(k, "{") || lx_.IsPunct(k, "}")) break;
      }
      if (!in_ternary) return;
    }
    const std::string_view name = lx_.NameOf(t);
    if (IsKeyword(name)) return;
    if (seen_.insert(std::string(name)).second) names_.emplace_back(name);
  }

  static bool IsKeyword(std::string_view w) {
    return IsAny(w, {"break", "case", "catch", "class", "const", "continue", "debugger",
                     "default", "delete", "do", "else", "export", "extends", "false", "finally",
                     "for", "function", "if", "import", "in", "instanceof", "new", "null",
                     "return", "super", "switch", "this", "throw", "true", "try", "typeof",
                     "var", "void", "while", "with", "yield", "let", "static", "async", "await",
                     "of", "get", "set", "enum", "implements", "interface", "package",
                     "private", "protected", "public", "arguments", "undefined", "NaN",
                     "Infinity"});
  }

  const Lexer& lx_;
  const std::vector<Token>& t_;
  std::vector<ScriptProblem>& out_;
  std::vector<std::string>& names_;
  std::unordered_set<std::string> seen_;
  std::vector<std::uint32_t> literals_;
  std::vector<std::size_t> chain_end_;
};

void SetLineColumns(std::string_view src, std::vector<ScriptProblem>& problems) {
  std::size_t line = 1, column = 1, pos = 0;
  for (ScriptProblem& p : problems) {
    for (; pos < p.offset && pos < src.size(); ++pos) {
      const auto c = static_cast<unsigned char>(src[pos]);
      const bool ls_ps = c == 0xE2 && (src.substr(pos, 3) == "\xE2\x80\xA8" ||
                                       src.substr(pos, 3) == "\xE2\x80\xA9");
      if (c == '\n' || (c == '\r' && src.substr(pos, 2) != "\r\n") || ls_ps) {
        ++line;
        column = 1;
        if (ls_ps) pos += 2;
      } else if ((c & 0xC0) != 0x80 && c != '\r') {
        ++column;
      }
    }
    p.line = line;
    p.column = column;
  }
}

}  // namespace

ScriptCheck CheckScript(std::string_view source, ScriptKind kind) {
  ScriptCheck check;
  if (source.size() > kMaxScriptBytes) {
    check.problems.push_back({.message = "javascript source is larger than 1 MiB",
                              .hint = "move large data into variables or files"});
    return check;
  }
  for (std::size_t i = 0; i < source.size();) {
    char32_t cp = 0;
    const std::size_t len = Utf8Length(source, i, &cp);
    if (len == 0) {
      check.problems.push_back({.message = "invalid utf-8 in javascript source",
                                .offset = i,
                                .hint = "save the suite file as UTF-8"});
      SetLineColumns(source, check.problems);
      return check;
    }
    i += len;
  }
  Lexer lexer(source, kind);
  if (lexer.Run()) {
    Checker(lexer, lexer.problems, check.names).Run();
    std::stable_sort(
        lexer.problems.begin(), lexer.problems.end(),
        [](const ScriptProblem& a, const ScriptProblem& b) { return a.offset < b.offset; });
  }
  check.problems = std::move(lexer.problems);
  SetLineColumns(source, check.problems);
  return check;
}

}  // namespace flow::core

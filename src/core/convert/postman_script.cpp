#include "core/convert/postman_script.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <variant>

#include "core/util/strings.hpp"

namespace flow::core::convert {
namespace {

// ---------------------------------------------------------------------------------------------
// Tokens

enum class Tok { kIdent, kNumber, kString, kRegex, kPunct, kUnsupported };

struct Token {
  Tok kind = Tok::kPunct;
  std::string text;   // identifier, punctuator, regex body; the source of anything else
  Value value;        // kNumber, kString
  std::string flags;  // kRegex
  std::size_t begin = 0, end = 0;
  bool newline_before = false;
};

constexpr std::array<std::string_view, 18> kPunctuators{
    "===", "!==", "==", "!=", "<=", ">=",  "=>", "&&", "||",
    "++",  "--",  "+=", "-=", "?.", "...", "**", "??", "|="};

bool IdentStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IdentPart(char c) { return IdentStart(c) || std::isdigit(static_cast<unsigned char>(c)) != 0; }

// Whether a '/' at this point starts a regular expression (after an operator or an opening
// bracket) rather than dividing.
bool RegexAllowedAfter(const std::vector<Token>& tokens) {
  if (tokens.empty()) return true;
  const Token& last = tokens.back();
  if (last.kind == Tok::kIdent) return last.text == "return" || last.text == "typeof";
  if (last.kind != Tok::kPunct) return false;
  return last.text != ")" && last.text != "]" && last.text != "}";
}

std::vector<Token> Tokenize(std::string_view src) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  bool newline = false;
  const std::size_t n = src.size();
  while (i < n) {
    const char c = src[i];
    if (c == '\n') {
      newline = true;
      ++i;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && src[i + 1] == '/') {
      while (i < n && src[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && src[i + 1] == '*') {
      const std::size_t close = src.find("*/", i + 2);
      const std::size_t stop = close == std::string_view::npos ? n : close + 2;
      if (src.substr(i, stop - i).find('\n') != std::string_view::npos) newline = true;
      i = stop;
      continue;
    }
    Token token;
    token.begin = i;
    token.newline_before = newline;
    newline = false;
    if (IdentStart(c)) {
      std::size_t j = i;
      while (j < n && IdentPart(src[j])) ++j;
      token.kind = Tok::kIdent;
      token.text = std::string(src.substr(i, j - i));
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c)) != 0 ||
               (c == '.' && i + 1 < n &&
                std::isdigit(static_cast<unsigned char>(src[i + 1])) != 0)) {
      std::size_t j = i;
      while (j < n &&
             (std::isalnum(static_cast<unsigned char>(src[j])) != 0 || src[j] == '.' ||
              ((src[j] == '+' || src[j] == '-') && (src[j - 1] == 'e' || src[j - 1] == 'E')))) {
        ++j;
      }
      token.kind = Tok::kNumber;
      token.text = std::string(src.substr(i, j - i));
      Value parsed = Value::parse(token.text, nullptr, false);
      if (parsed.is_number()) {
        token.value = parsed;
      } else {
        token.kind = Tok::kUnsupported;  // hex, octal, separators
      }
      i = j;
    } else if (c == '"' || c == '\'') {
      std::string text;
      std::size_t j = i + 1;
      bool closed = false;
      while (j < n) {
        const char d = src[j];
        if (d == c) {
          closed = true;
          ++j;
          break;
        }
        if (d == '\n') break;
        if (d == '\\' && j + 1 < n) {
          const char e = src[j + 1];
          j += 2;
          switch (e) {
            case 'n':
              text += '\n';
              break;
            case 't':
              text += '\t';
              break;
            case 'r':
              text += '\r';
              break;
            case 'b':
              text += '\b';
              break;
            case 'f':
              text += '\f';
              break;
            case 'v':
              text += '\v';
              break;
            case '0':
              text += '\0';
              break;
            case 'u': {
              if (j + 4 <= n) {
                std::uint32_t cp = 0;
                bool ok = true;
                for (std::size_t k = 0; k < 4; ++k) {
                  const char h = src[j + k];
                  cp <<= 4;
                  if (h >= '0' && h <= '9')
                    cp |= static_cast<std::uint32_t>(h - '0');
                  else if (h >= 'a' && h <= 'f')
                    cp |= static_cast<std::uint32_t>(h - 'a' + 10);
                  else if (h >= 'A' && h <= 'F')
                    cp |= static_cast<std::uint32_t>(h - 'A' + 10);
                  else
                    ok = false;
                }
                if (ok) {
                  AppendUtf8(text, cp);
                  j += 4;
                } else {
                  text += 'u';
                }
              }
              break;
            }
            case '\n':
              break;  // a line continuation
            default:
              text += e;
          }
          continue;
        }
        text += d;
        ++j;
      }
      token.kind = closed ? Tok::kString : Tok::kUnsupported;
      token.value = text;
      token.text = std::string(src.substr(i, j - i));
      i = j;
    } else if (c == '`') {
      std::string text;
      std::size_t j = i + 1;
      bool plain = true;
      bool closed = false;
      while (j < n) {
        if (src[j] == '`') {
          closed = true;
          ++j;
          break;
        }
        if (src[j] == '$' && j + 1 < n && src[j + 1] == '{') plain = false;
        if (src[j] == '\\' && j + 1 < n) {
          text += src[j + 1];
          j += 2;
          continue;
        }
        text += src[j++];
      }
      token.kind = closed && plain ? Tok::kString : Tok::kUnsupported;
      token.value = text;
      token.text = std::string(src.substr(i, j - i));
      i = j;
    } else if (c == '/' && RegexAllowedAfter(tokens)) {
      std::size_t j = i + 1;
      bool in_class = false;
      bool closed = false;
      std::string body;
      while (j < n && src[j] != '\n') {
        const char d = src[j];
        if (d == '\\' && j + 1 < n) {
          body += src.substr(j, 2);
          j += 2;
          continue;
        }
        if (d == '[') in_class = true;
        if (d == ']') in_class = false;
        if (d == '/' && !in_class) {
          closed = true;
          ++j;
          break;
        }
        body += d;
        ++j;
      }
      std::size_t k = j;
      while (k < n && std::isalpha(static_cast<unsigned char>(src[k])) != 0) ++k;
      token.kind = closed ? Tok::kRegex : Tok::kUnsupported;
      token.text = body;
      token.flags = std::string(src.substr(j, k - j));
      i = k;
    } else {
      token.kind = Tok::kPunct;
      token.text = std::string(1, c);
      for (const std::string_view p : kPunctuators) {
        if (src.substr(i, p.size()) == p) {
          token.text = std::string(p);
          break;
        }
      }
      i += token.text.size();
    }
    token.end = i;
    tokens.push_back(std::move(token));
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Expressions

struct Node {
  enum Kind {
    kIdent,
    kLiteral,
    kRegex,
    kMember,
    kIndex,
    kCall,
    kFunction,
    kBinary,
    kUnary,
    kArray,
    kObject
  };
  Kind kind = kLiteral;
  std::string name;                          // identifier, member name, operator, regex pattern
  std::string flags;                         // regex flags
  Value literal;                             // kLiteral
  std::vector<Node> children;                // member/index: object first; call: callee then args
  std::vector<std::string> keys;             // kObject: the key of each child
  std::size_t body_begin = 0, body_end = 0;  // kFunction: token range of the body
  bool expression_body = false;              // kFunction: `() => expr`
};

struct Statement {
  std::size_t begin = 0, end = 0;  // token range
};

bool IsContinuation(const Token& next) {
  static const std::set<std::string> kOperators = {
      ".",   "(",  "[", "?", ":",  "&&", "||", "+", "-",  "*", "/", "%", "===", "==",
      "!==", "!=", "<", ">", "<=", ">=", "=",  ",", "=>", ")", "]", "}", "?.",  "??"};
  if (next.kind == Tok::kPunct) return kOperators.count(next.text) != 0;
  if (next.kind == Tok::kIdent) {
    return next.text == "else" || next.text == "catch" || next.text == "finally";
  }
  return false;
}

bool EndsExpression(const Token& last) {
  if (last.kind != Tok::kPunct) return true;
  return last.text == ")" || last.text == "]" || last.text == "}";
}

// Top-level statements of tokens[begin, end): split at ';' and at line breaks where the
// expression cannot go on (the usual automatic-semicolon cases).
std::vector<Statement> SplitStatements(const std::vector<Token>& tokens, std::size_t begin,
                                       std::size_t end) {
  std::vector<Statement> out;
  int depth = 0;
  std::size_t start = begin;
  for (std::size_t i = begin; i < end; ++i) {
    const Token& t = tokens[i];
    if (i > start && depth == 0 && t.newline_before && EndsExpression(tokens[i - 1]) &&
        !IsContinuation(t)) {
      out.push_back({start, i});
      start = i;
    }
    if (t.kind == Tok::kPunct) {
      if (t.text == "(" || t.text == "[" || t.text == "{") ++depth;
      if (t.text == ")" || t.text == "]" || t.text == "}") depth = std::max(0, depth - 1);
      if (t.text == ";" && depth == 0) {
        if (i > start) out.push_back({start, i});
        start = i + 1;
      }
    }
  }
  if (start < end) out.push_back({start, end});
  return out;
}

class Parser {
 public:
  Parser(const std::vector<Token>& tokens, std::size_t begin, std::size_t end)
      : tokens_(tokens), pos_(begin), end_(end) {}

  std::optional<Node> Expression() { return Assignment(); }
  bool AtEnd() const { return pos_ >= end_; }
  std::size_t pos() const { return pos_; }

  bool Accept(std::string_view punct) {
    if (!AtEnd() && tokens_[pos_].kind == Tok::kPunct && tokens_[pos_].text == punct) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool AcceptWord(std::string_view word) {
    if (!AtEnd() && tokens_[pos_].kind == Tok::kIdent && tokens_[pos_].text == word) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::optional<std::string> Ident() {
    if (!AtEnd() && tokens_[pos_].kind == Tok::kIdent) return tokens_[pos_++].text;
    return std::nullopt;
  }

 private:
  static constexpr int kMaxDepth = 64;

  const Token* Peek(std::size_t ahead = 0) const {
    return pos_ + ahead < end_ ? &tokens_[pos_ + ahead] : nullptr;
  }
  bool PeekPunct(std::string_view punct, std::size_t ahead = 0) const {
    const Token* t = Peek(ahead);
    return t != nullptr && t->kind == Tok::kPunct && t->text == punct;
  }

  std::optional<Node> Assignment() {
    std::optional<Node> left = Binary(0);
    if (!left) return std::nullopt;
    if (Accept("=")) {
      std::optional<Node> right = Assignment();
      if (!right) return std::nullopt;
      Node node{.kind = Node::kBinary, .name = "="};
      node.children = {std::move(*left), std::move(*right)};
      return node;
    }
    return left;
  }

  static int Precedence(const std::string& op) {
    if (op == "||" || op == "??") return 1;
    if (op == "&&") return 2;
    if (op == "===" || op == "==" || op == "!==" || op == "!=") return 3;
    if (op == "<" || op == ">" || op == "<=" || op == ">=") return 4;
    return 0;
  }

  std::optional<Node> Binary(int min) {
    if (++depth_ > kMaxDepth) return std::nullopt;
    std::optional<Node> left = Unary();
    while (left && Peek() != nullptr && Peek()->kind == Tok::kPunct) {
      const std::string op = Peek()->text;
      const int precedence = Precedence(op);
      if (precedence == 0 || precedence <= min) break;
      ++pos_;
      std::optional<Node> right = Binary(precedence);
      if (!right) return std::nullopt;
      Node node{.kind = Node::kBinary, .name = op};
      node.children = {std::move(*left), std::move(*right)};
      left = std::move(node);
    }
    --depth_;
    return left;
  }

  std::optional<Node> Unary() {
    if (PeekPunct("-") || PeekPunct("!") || PeekPunct("+")) {
      const std::string op = Peek()->text;
      ++pos_;
      if (++depth_ > kMaxDepth) return std::nullopt;
      std::optional<Node> operand = Unary();
      --depth_;
      if (!operand) return std::nullopt;
      if (operand->kind == Node::kLiteral && operand->literal.is_number() && op != "!") {
        if (op == "-") {
          operand->literal = operand->literal.is_number_float()
                                 ? Value(-operand->literal.get<double>())
                                 : Value(-operand->literal.get<std::int64_t>());
        }
        return operand;
      }
      Node node{.kind = Node::kUnary, .name = op};
      node.children.push_back(std::move(*operand));
      return node;
    }
    return Postfix();
  }

  std::optional<Node> Postfix() {
    std::optional<Node> node = Primary();
    for (int links = 0; node && !AtEnd(); ++links) {
      if (links > kMaxDepth * 4) return std::nullopt;  // a chain this long is no assertion

      if (Accept(".")) {
        std::optional<std::string> name = Ident();
        if (!name) return std::nullopt;
        Node member{.kind = Node::kMember, .name = *name};
        member.children.push_back(std::move(*node));
        node = std::move(member);
      } else if (PeekPunct("[")) {
        ++pos_;
        std::optional<Node> index = Expression();
        if (!index || !Accept("]")) return std::nullopt;
        Node indexed{.kind = Node::kIndex};
        indexed.children = {std::move(*node), std::move(*index)};
        node = std::move(indexed);
      } else if (PeekPunct("(")) {
        ++pos_;
        Node call{.kind = Node::kCall};
        call.children.push_back(std::move(*node));
        if (!Accept(")")) {
          while (true) {
            std::optional<Node> arg = Expression();
            if (!arg) return std::nullopt;
            call.children.push_back(std::move(*arg));
            if (Accept(")")) break;
            if (!Accept(",")) return std::nullopt;
            if (Accept(")")) break;
          }
        }
        node = std::move(call);
      } else {
        break;
      }
    }
    return node;
  }

  // The token index of the bracket closing the one at `open`, or end_.
  std::size_t Matching(std::size_t open) const {
    int depth = 0;
    for (std::size_t i = open; i < end_; ++i) {
      const Token& t = tokens_[i];
      if (t.kind != Tok::kPunct) continue;
      if (t.text == "(" || t.text == "[" || t.text == "{") ++depth;
      if (t.text == ")" || t.text == "]" || t.text == "}") {
        if (--depth == 0) return i;
      }
    }
    return end_;
  }

  std::optional<Node> FunctionBody() {
    Node function{.kind = Node::kFunction};
    if (PeekPunct("{")) {
      const std::size_t close = Matching(pos_);
      if (close >= end_) return std::nullopt;
      function.body_begin = pos_ + 1;
      function.body_end = close;
      pos_ = close + 1;
      return function;
    }
    // `() => expression`: the expression is the body.
    const std::size_t begin = pos_;
    std::optional<Node> expression = Assignment();
    if (!expression) return std::nullopt;
    function.body_begin = begin;
    function.body_end = pos_;
    function.expression_body = true;
    return function;
  }

  bool SkipParameters() {  // at "(": identifiers separated by commas, then ")"
    if (!Accept("(")) return false;
    if (Accept(")")) return true;
    while (Ident()) {
      if (Accept(")")) return true;
      if (!Accept(",")) return false;
    }
    return false;
  }

  std::optional<Node> Primary() {
    const Token* t = Peek();
    if (t == nullptr) return std::nullopt;
    switch (t->kind) {
      case Tok::kNumber:
      case Tok::kString: {
        ++pos_;
        return Node{.kind = Node::kLiteral, .literal = t->value};
      }
      case Tok::kRegex: {
        ++pos_;
        return Node{.kind = Node::kRegex, .name = t->text, .flags = t->flags};
      }
      case Tok::kUnsupported:
        return std::nullopt;
      case Tok::kIdent: {
        if (t->text == "true" || t->text == "false") {
          ++pos_;
          return Node{.kind = Node::kLiteral, .literal = Value(t->text == "true")};
        }
        if (t->text == "null") {
          ++pos_;
          return Node{.kind = Node::kLiteral, .literal = Value(nullptr)};
        }
        if (t->text == "function") {
          ++pos_;
          Ident();  // an optional name
          if (!SkipParameters()) return std::nullopt;
          if (!PeekPunct("{")) return std::nullopt;
          return FunctionBody();
        }
        if (PeekPunct("=>", 1)) {  // x => ...
          pos_ += 2;
          return FunctionBody();
        }
        ++pos_;
        return Node{.kind = Node::kIdent, .name = t->text};
      }
      case Tok::kPunct:
        break;
    }
    if (t->text == "(") {
      const std::size_t close = Matching(pos_);
      if (close < end_ && close + 1 < end_ && tokens_[close + 1].kind == Tok::kPunct &&
          tokens_[close + 1].text == "=>") {
        if (!SkipParameters() || !Accept("=>")) return std::nullopt;
        return FunctionBody();
      }
      ++pos_;
      std::optional<Node> inner = Expression();
      if (!inner || !Accept(")")) return std::nullopt;
      return inner;
    }
    if (t->text == "[") {
      ++pos_;
      Node array{.kind = Node::kArray};
      if (Accept("]")) return array;
      while (true) {
        std::optional<Node> item = Expression();
        if (!item) return std::nullopt;
        array.children.push_back(std::move(*item));
        if (Accept("]")) return array;
        if (!Accept(",")) return std::nullopt;
        if (Accept("]")) return array;
      }
    }
    if (t->text == "{") {
      ++pos_;
      Node object{.kind = Node::kObject};
      if (Accept("}")) return object;
      while (true) {
        const Token* key = Peek();
        if (key == nullptr) return std::nullopt;
        std::string name;
        if (key->kind == Tok::kIdent) {
          name = key->text;
        } else if (key->kind == Tok::kString) {
          name = key->value.get<std::string>();
        } else if (key->kind == Tok::kNumber) {
          name = key->text;
        } else {
          return std::nullopt;
        }
        ++pos_;
        if (!Accept(":")) return std::nullopt;
        std::optional<Node> value = Expression();
        if (!value) return std::nullopt;
        object.keys.push_back(name);
        object.children.push_back(std::move(*value));
        if (Accept("}")) return object;
        if (!Accept(",")) return std::nullopt;
        if (Accept("}")) return object;
      }
    }
    return std::nullopt;
  }

  const std::vector<Token>& tokens_;
  std::size_t pos_;
  std::size_t end_;
  int depth_ = 0;
};

// "pm.response.code" for a chain of identifiers and members, else "".
std::string DottedName(const Node& node) {
  if (node.kind == Node::kIdent) return node.name;
  if (node.kind == Node::kMember) {
    const std::string base = DottedName(node.children[0]);
    return base.empty() ? "" : base + "." + node.name;
  }
  return "";
}

bool IsCallOf(const Node& node, std::string_view name, std::size_t args) {
  return node.kind == Node::kCall && node.children.size() == args + 1 &&
         DottedName(node.children[0]) == name;
}

std::optional<std::string> StringArg(const Node& call, std::size_t index) {
  if (call.children.size() <= index + 1) return std::nullopt;
  const Node& arg = call.children[index + 1];
  if (arg.kind != Node::kLiteral || !arg.literal.is_string()) return std::nullopt;
  return arg.literal.get<std::string>();
}

// ---------------------------------------------------------------------------------------------
// Meaning

using Segment = std::variant<std::string, std::int64_t>;

struct Subject {
  enum Kind { kBody, kStatus, kHeader, kTime, kContentTypeJson };
  Kind kind = kBody;
  std::vector<Segment> path;  // kBody
  std::string header;         // kHeader
  bool length = false;        // `.length` of the value
};

const std::set<std::string>& VariableReaders() {
  static const std::set<std::string> readers = {
      "pm.variables.get",         "pm.environment.get",   "pm.collectionVariables.get",
      "pm.globals.get",           "pm.iterationData.get", "postman.getEnvironmentVariable",
      "postman.getGlobalVariable"};
  return readers;
}

const std::set<std::string>& VariableWriters() {
  static const std::set<std::string> writers = {
      "pm.environment.set", "pm.collectionVariables.set",     "pm.globals.set",
      "pm.variables.set",   "postman.setEnvironmentVariable", "postman.setGlobalVariable"};
  return writers;
}

// A body path segment as a key of a flowtest `body` assertion map: names that would read as a
// path (dots, brackets, only digits) cannot be written there.
std::optional<std::string> SegmentKey(const Segment& segment) {
  if (const auto* index = std::get_if<std::int64_t>(&segment)) {
    if (*index < 0) return std::nullopt;
    return std::to_string(*index);
  }
  const std::string& name = std::get<std::string>(segment);
  if (name.empty() || name.find_first_of(".[]") != std::string::npos ||
      name.find("@.") != std::string::npos || std::all_of(name.begin(), name.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      })) {
    return std::nullopt;
  }
  return name;
}

std::string JmesPathOf(const std::vector<Segment>& path) {
  std::string out = "body";
  for (const Segment& segment : path) {
    if (const auto* index = std::get_if<std::int64_t>(&segment)) {
      out += "[" + std::to_string(*index) + "]";
      continue;
    }
    const std::string& name = std::get<std::string>(segment);
    const bool plain =
        !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
        std::all_of(name.begin(), name.end(),
                    [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
    out += "." + (plain ? name : DumpJson(Value(name)));
  }
  return out;
}

class Interpreter {
 public:
  Interpreter(const std::vector<Token>& tokens, std::string_view source, ScriptConversion& into)
      : tokens_(tokens), source_(source), into_(into) {}

  void Block(std::size_t begin, std::size_t end, std::map<std::string, Subject> aliases,
             const std::string& context) {
    for (const Statement& statement : SplitStatements(tokens_, begin, end)) {
      if (!StatementMeaning(statement, aliases)) {
        std::string text = std::string(
            Trim(source_.substr(tokens_[statement.begin].begin,
                                tokens_[statement.end - 1].end - tokens_[statement.begin].begin)));
        into_.unconverted.push_back(context.empty() ? text : context + ": " + text);
      }
    }
  }

 private:
  bool StatementMeaning(const Statement& statement, std::map<std::string, Subject>& aliases) {
    Parser parser(tokens_, statement.begin, statement.end);
    if (parser.AcceptWord("var") || parser.AcceptWord("let") || parser.AcceptWord("const")) {
      std::vector<std::pair<std::string, Subject>> bound;
      while (true) {
        std::optional<std::string> name = parser.Ident();
        if (!name || !parser.Accept("=")) return false;
        std::optional<Node> init = parser.Expression();
        if (!init) return false;
        std::optional<Subject> subject = Resolve(*init, aliases);
        if (!subject || subject->kind != Subject::kBody || subject->length) return false;
        bound.emplace_back(*name, *subject);
        if (!parser.Accept(",")) break;
      }
      if (!parser.AtEnd()) return false;
      for (auto& [name, subject] : bound) aliases[name] = subject;
      return true;
    }
    std::optional<Node> node = parser.Expression();
    if (!node || !parser.AtEnd()) return false;
    // pm.test("name", function () { ... })
    if (node->kind == Node::kCall && DottedName(node->children[0]) == "pm.test" &&
        node->children.size() == 3 && node->children[2].kind == Node::kFunction) {
      const std::string name = StringArg(*node, 0).value_or("");
      const Node& function = node->children[2];
      Block(function.body_begin, function.body_end, aliases,
            "pm.test(" + DumpJson(Value(name)) + ")");
      return true;
    }
    Pending pending;
    if (!Expect(*node, aliases, pending) && !ResponseChain(*node, pending) &&
        !Capture(*node, aliases, pending) && !LegacyTest(*node, aliases, pending)) {
      return false;
    }
    return Commit(pending);
  }

  // Checks and captures of one statement, applied only when the whole statement converts.
  struct PendingCheck {
    Subject subject;
    std::string op;  // flowtest operator, "length.<comparison>" for length comparisons
    Value expected;
  };
  struct Pending {
    std::vector<PendingCheck> checks;
    std::vector<std::pair<std::string, Value>> captures;
    std::vector<std::string> reads;
  };

  std::optional<Subject> Resolve(const Node& node, const std::map<std::string, Subject>& aliases) {
    switch (node.kind) {
      case Node::kIdent: {
        if (const auto found = aliases.find(node.name); found != aliases.end())
          return found->second;
        if (node.name == "responseTime") return Subject{.kind = Subject::kTime};
        return std::nullopt;
      }
      case Node::kCall: {
        if (IsCallOf(node, "pm.response.json", 0)) return Subject{.kind = Subject::kBody};
        if (node.children.size() == 2 && DottedName(node.children[0]) == "JSON.parse" &&
            DottedName(node.children[1]) == "responseBody") {
          return Subject{.kind = Subject::kBody};
        }
        if ((IsCallOf(node, "pm.response.headers.get", 1) ||
             IsCallOf(node, "postman.getResponseHeader", 1))) {
          if (std::optional<std::string> name = StringArg(node, 0)) {
            return Subject{.kind = Subject::kHeader, .header = *name};
          }
        }
        return std::nullopt;
      }
      case Node::kMember: {
        const std::string dotted = DottedName(node);
        if (dotted == "pm.response.code" || dotted == "responseCode.code")
          return Subject{.kind = Subject::kStatus};
        if (dotted == "pm.response.responseTime") return Subject{.kind = Subject::kTime};
        std::optional<Subject> base = Resolve(node.children[0], aliases);
        if (!base || base->kind != Subject::kBody || base->length) return std::nullopt;
        if (node.name == "length") {
          base->length = true;
        } else {
          base->path.emplace_back(node.name);
        }
        return base;
      }
      case Node::kIndex: {
        std::optional<Subject> base = Resolve(node.children[0], aliases);
        if (!base || base->kind != Subject::kBody || base->length) return std::nullopt;
        const Node& index = node.children[1];
        if (index.kind != Node::kLiteral) return std::nullopt;
        if (index.literal.is_number_integer()) {
          base->path.emplace_back(index.literal.get<std::int64_t>());
        } else if (index.literal.is_string()) {
          base->path.emplace_back(index.literal.get<std::string>());
        } else {
          return std::nullopt;
        }
        return base;
      }
      default:
        return std::nullopt;
    }
  }

  // A value written in the script: literals, lists and maps of them, variables read with
  // pm.*.get("v") (as "{{v}}") and pm.variables.replaceIn("text").
  std::optional<Value> Literal(const Node& node, Pending& pending) {
    switch (node.kind) {
      case Node::kLiteral:
        return node.literal;
      case Node::kArray: {
        Value array = Value::array();
        for (const Node& item : node.children) {
          std::optional<Value> value = Literal(item, pending);
          if (!value) return std::nullopt;
          array.push_back(std::move(*value));
        }
        return array;
      }
      case Node::kObject: {
        Value object = Value::object();
        for (std::size_t i = 0; i < node.children.size(); ++i) {
          std::optional<Value> value = Literal(node.children[i], pending);
          if (!value) return std::nullopt;
          object[node.keys[i]] = std::move(*value);
        }
        return object;
      }
      case Node::kCall: {
        const std::string callee = node.children.empty() ? "" : DottedName(node.children[0]);
        if (VariableReaders().count(callee) != 0 && node.children.size() == 2) {
          if (std::optional<std::string> name = StringArg(node, 0)) {
            pending.reads.push_back(*name);
            return Value("{{" + *name + "}}");
          }
        }
        if (callee == "pm.variables.replaceIn" && node.children.size() == 2) {
          if (std::optional<std::string> text = StringArg(node, 0)) return Value(*text);
        }
        return std::nullopt;
      }
      default:
        return std::nullopt;
    }
  }

  // The links of an assertion chain from the outside in: ".to.be.oneOf([1])" gives
  // {to}, {be}, {oneOf, [1]}; `base` is the node the chain starts from.
  struct Link {
    std::string word;
    const Node* call = nullptr;  // the call node when the word is called
  };
  static bool Flatten(const Node& node, std::vector<Link>& links, const Node*& base,
                      const std::function<bool(const Node&)>& is_base) {
    const Node* current = &node;
    std::vector<Link> reversed;
    while (true) {
      if (is_base(*current)) {
        base = current;
        break;
      }
      if (current->kind == Node::kCall && !current->children.empty() &&
          current->children[0].kind == Node::kMember) {
        reversed.push_back({current->children[0].name, current});
        current = &current->children[0].children[0];
      } else if (current->kind == Node::kMember) {
        reversed.push_back({current->name, nullptr});
        current = &current->children[0];
      } else {
        return false;
      }
    }
    links.assign(reversed.rbegin(), reversed.rend());
    return true;
  }

  static const std::set<std::string>& Fillers() {
    static const std::set<std::string> fillers = {
        "to", "be", "been", "is",   "that", "which", "and",  "has", "have", "with",
        "at", "of", "same", "does", "but",  "still", "deep", "own", "also"};
    return fillers;
  }

  // A chain word that asserts nothing: a filler (`to`, `be`, `have`, ...) or `not`, which flips
  // `negate`. True when the word is consumed.
  static bool Modifier(const Link& link, bool& negate) {
    if (link.call != nullptr) return false;
    if (link.word == "not") {
      negate = !negate;
      return true;
    }
    return Fillers().count(link.word) != 0;
  }

  // The chai words of the numeric comparisons, and the flowtest operators they are.
  static const std::map<std::string, std::string>& Comparisons() {
    static const std::map<std::string, std::string> comparisons = {
        {"above", "greater_than"},
        {"gt", "greater_than"},
        {"greaterThan", "greater_than"},
        {"below", "less_than"},
        {"lt", "less_than"},
        {"lessThan", "less_than"},
        {"least", "greater_than_or_equal"},
        {"gte", "greater_than_or_equal"},
        {"greaterThanOrEqual", "greater_than_or_equal"},
        {"most", "less_than_or_equal"},
        {"lte", "less_than_or_equal"},
        {"lessThanOrEqual", "less_than_or_equal"}};
    return comparisons;
  }

  // The flowtest operator of a negated one.
  static std::optional<std::string> Negate(const std::string& op, const Value& expected,
                                           Value& negated_expected) {
    negated_expected = expected;
    static const std::map<std::string, std::string> kInverse = {
        {"equals", "not_equals"},
        {"not_equals", "equals"},
        {"contains", "not_contains"},
        {"in", "not_in"},
        {"greater_than", "less_than_or_equal"},
        {"less_than", "greater_than_or_equal"},
        {"greater_than_or_equal", "less_than"},
        {"less_than_or_equal", "greater_than"},
        {"length.equals", "length.not_equals"},
        {"length.greater_than", "length.less_than_or_equal"},
        {"length.less_than", "length.greater_than_or_equal"},
        {"length.greater_than_or_equal", "length.less_than"},
        {"length.less_than_or_equal", "length.greater_than"}};
    if (op == "exists" || op == "notEmpty") {
      negated_expected = !expected.get<bool>();
      return op;
    }
    if (const auto found = kInverse.find(op); found != kInverse.end()) return found->second;
    return std::nullopt;
  }

  // pm.expect(subject).<chain>
  bool Expect(const Node& node, const std::map<std::string, Subject>& aliases, Pending& pending) {
    std::vector<Link> links;
    const Node* base = nullptr;
    if (!Flatten(node, links, base, [](const Node& n) { return IsCallOf(n, "pm.expect", 1); }))
      return false;
    std::optional<Subject> subject = Resolve(base->children[1], aliases);
    if (!subject) return false;
    return Chain(*subject, links, pending);
  }

  bool Chain(Subject subject, const std::vector<Link>& links, Pending& pending) {
    bool negate = false;
    bool length = subject.length;
    subject.length = false;
    bool any = false;
    for (const Link& link : links) {
      const std::string& w = link.word;
      if (Modifier(link, negate)) continue;
      if ((w == "length" || w == "lengthOf") && link.call == nullptr) {
        length = true;
        continue;
      }
      std::string op;
      Value expected;
      const std::size_t args = link.call ? link.call->children.size() - 1 : 0;
      const auto arg = [&](std::size_t i) -> std::optional<Value> {
        return Literal(link.call->children[i + 1], pending);
      };
      if (link.call == nullptr) {
        if (w == "true" || w == "false") {
          op = "equals";
          expected = w == "true";
        } else if (w == "null") {
          if (negate) {
            op = "not_equals";
            expected = nullptr;
            negate = false;
          } else {
            op = "type";
            expected = "null";
          }
        } else if (w == "undefined") {
          op = "exists";
          expected = false;
        } else if (w == "exist") {
          op = "exists";
          expected = true;
        } else if (w == "empty") {
          op = "notEmpty";
          expected = false;
        } else {
          return false;
        }
      } else if (args == 1 && (w == "eql" || w == "equal" || w == "equals" || w == "eq")) {
        op = length ? "length.equals" : "equals";
        if (auto v = arg(0))
          expected = *v;
        else
          return false;
      } else if (args == 1 && (w == "include" || w == "includes" || w == "contain" ||
                               w == "contains" || w == "string")) {
        op = "contains";
        if (auto v = arg(0))
          expected = *v;
        else
          return false;
      } else if (args == 1 && (w == "match" || w == "matches")) {
        const Node& pattern = link.call->children[1];
        if (pattern.kind != Node::kRegex || !pattern.flags.empty() || negate) return false;
        op = "regex";
        // `\/` is only there to keep the literal open: the pattern is the same without it.
        std::string unescaped;
        for (std::size_t i = 0; i < pattern.name.size(); ++i) {
          if (pattern.name[i] == '\\' && i + 1 < pattern.name.size()) {
            if (pattern.name[i + 1] != '/') unescaped += '\\';
            unescaped += pattern.name[++i];
          } else {
            unescaped += pattern.name[i];
          }
        }
        expected = unescaped;
      } else if (args == 1 && (w == "a" || w == "an")) {
        std::optional<Value> type = arg(0);
        if (!type || !type->is_string() || negate) return false;
        const std::string t = ToLower(type->get<std::string>());
        if (t == "undefined") {
          op = "exists";
          expected = false;
        } else if (t == "string" || t == "number" || t == "boolean" || t == "object" ||
                   t == "array" || t == "null") {
          op = "type";
          expected = t;
        } else {
          return false;
        }
      } else if (args == 1 && Comparisons().count(w) != 0) {
        op = (length ? "length." : "") + Comparisons().at(w);
        std::optional<Value> v = arg(0);
        if (!v || !v->is_number()) return false;
        expected = *v;
      } else if (args == 1 && w == "oneOf") {
        op = "in";
        if (auto v = arg(0); v && v->is_array())
          expected = *v;
        else
          return false;
      } else if (args == 1 && (w == "lengthOf" || w == "length")) {
        op = "length.equals";
        if (auto v = arg(0); v && v->is_number_integer())
          expected = *v;
        else
          return false;
      } else if ((args == 1 || args == 2) && w == "property" && subject.kind == Subject::kBody &&
                 !length) {
        std::optional<Value> name = arg(0);
        if (!name || !name->is_string()) return false;
        Subject field = subject;
        field.path.emplace_back(name->get<std::string>());
        if (args == 2) {
          std::optional<Value> value = arg(1);
          if (!value) return false;
          Value e;
          std::string o = "equals";
          if (negate) {
            std::optional<std::string> n = Negate(o, *value, e);
            o = *n;
          } else {
            e = *value;
          }
          pending.checks.push_back({field, o, e});
        } else {
          pending.checks.push_back({field, "exists", Value(!negate)});
        }
        any = true;
        continue;
      } else if (args == 2 && w == "within") {
        std::optional<Value> low = arg(0);
        std::optional<Value> high = arg(1);
        if (!low || !high || !low->is_number() || !high->is_number() || negate) return false;
        const std::string prefix = length ? "length." : "";
        pending.checks.push_back({subject, prefix + "greater_than_or_equal", *low});
        pending.checks.push_back({subject, prefix + "less_than_or_equal", *high});
        any = true;
        continue;
      } else {
        return false;
      }
      if (negate) {
        Value negated;
        std::optional<std::string> inverse = Negate(op, expected, negated);
        if (!inverse) return false;
        op = *inverse;
        expected = negated;
      }
      if (length && !StartsWith(op, "length.")) {
        if (op != "notEmpty") return false;
      }
      pending.checks.push_back({subject, op, expected});
      any = true;
    }
    return any;
  }

  // pm.response.to.have.status(200), .to.be.ok, .to.have.header("X"), .to.be.json, ...
  bool ResponseChain(const Node& node, Pending& pending) {
    std::vector<Link> links;
    const Node* base = nullptr;
    if (!Flatten(node, links, base, [](const Node& n) { return DottedName(n) == "pm.response"; }))
      return false;
    bool negate = false;
    bool any = false;
    static const std::map<std::string, Value> kStatusWords = {
        {"ok", 200},           {"created", 201},   {"accepted", 202}, {"badRequest", 400},
        {"unauthorized", 401}, {"forbidden", 403}, {"notFound", 404}, {"rateLimited", 429}};
    static const std::map<std::string, std::pair<int, int>> kStatusRanges = {
        {"success", {200, 299}},     {"info", {100, 199}},        {"redirection", {300, 399}},
        {"clientError", {400, 499}}, {"serverError", {500, 599}}, {"error", {400, 599}}};
    for (const Link& link : links) {
      const std::string& w = link.word;
      if (Modifier(link, negate)) continue;
      const std::size_t args = link.call ? link.call->children.size() - 1 : 0;
      if (w == "status" && args == 1) {
        std::optional<Value> code = Literal(link.call->children[1], pending);
        if (!code || !code->is_number_integer()) return false;
        pending.checks.push_back(
            {Subject{.kind = Subject::kStatus}, negate ? "not_equals" : "equals", *code});
      } else if (link.call == nullptr && kStatusWords.count(w) != 0 && !negate) {
        pending.checks.push_back({Subject{.kind = Subject::kStatus}, "equals", kStatusWords.at(w)});
      } else if (link.call == nullptr && kStatusRanges.count(w) != 0 && !negate) {
        const auto [low, high] = kStatusRanges.at(w);
        pending.checks.push_back({Subject{.kind = Subject::kStatus}, "greater_than_or_equal", low});
        pending.checks.push_back({Subject{.kind = Subject::kStatus}, "less_than_or_equal", high});
      } else if (w == "header" && (args == 1 || args == 2)) {
        std::optional<std::string> name = StringArg(*link.call, 0);
        if (!name) return false;
        Subject header{.kind = Subject::kHeader, .header = *name};
        if (args == 2) {
          std::optional<Value> value = Literal(link.call->children[2], pending);
          if (!value || negate) return false;
          pending.checks.push_back({header, "equals", *value});
        } else {
          pending.checks.push_back({header, "exists", Value(!negate)});
        }
      } else if (w == "json" && link.call == nullptr && !negate) {
        pending.checks.push_back(
            {Subject{.kind = Subject::kHeader, .header = "Content-Type"}, "contains", "json"});
      } else if (w == "body" && args == 1 && !negate) {
        std::optional<Value> value = Literal(link.call->children[1], pending);
        if (!value) return false;
        pending.checks.push_back({Subject{.kind = Subject::kBody}, "equals", *value});
      } else {
        return false;
      }
      any = true;
    }
    return any;
  }

  // pm.environment.set("name", <subject or literal>) and the other setters.
  bool Capture(const Node& node, const std::map<std::string, Subject>& aliases, Pending& pending) {
    if (node.kind != Node::kCall || node.children.size() != 3 ||
        VariableWriters().count(DottedName(node.children[0])) == 0) {
      return false;
    }
    std::optional<std::string> name = StringArg(node, 0);
    if (!name || name->empty()) return false;
    const Node& source = node.children[2];
    if (std::optional<Subject> subject = Resolve(source, aliases)) {
      std::string expression;
      switch (subject->kind) {
        case Subject::kBody:
          expression = JmesPathOf(subject->path);
          if (subject->length) expression = "length(" + expression + ")";
          break;
        case Subject::kHeader:
          expression = "headers." + DumpJson(Value(ToLower(subject->header)));
          break;
        case Subject::kStatus:
          expression = "status_code";
          break;
        case Subject::kTime:
          expression = "duration_ms";
          break;
        default:
          return false;
      }
      pending.captures.emplace_back(*name, Value(expression));
      return true;
    }
    Pending scratch;
    std::optional<Value> literal = Literal(source, scratch);
    if (!literal || !scratch.reads.empty()) return false;
    if (literal->is_string()) {
      // A string capture is read as JMESPath; a quoted one is the text itself.
      pending.captures.emplace_back(*name, Value("\"" + literal->get<std::string>() + "\""));
    } else {
      pending.captures.emplace_back(*name, *literal);
    }
    return true;
  }

  // tests["name"] = <comparison> [&& <comparison>]...
  bool LegacyTest(const Node& node, const std::map<std::string, Subject>& aliases,
                  Pending& pending) {
    if (node.kind != Node::kBinary || node.name != "=") return false;
    const Node& target = node.children[0];
    if (target.kind != Node::kIndex || DottedName(target.children[0]) != "tests") return false;
    return Comparison(node.children[1], aliases, pending);
  }

  bool Comparison(const Node& node, const std::map<std::string, Subject>& aliases,
                  Pending& pending) {
    if (node.kind == Node::kBinary && node.name == "&&") {
      return Comparison(node.children[0], aliases, pending) &&
             Comparison(node.children[1], aliases, pending);
    }
    if (node.kind != Node::kBinary) {
      std::optional<Subject> subject = Resolve(node, aliases);
      if (!subject || subject->kind != Subject::kHeader) return false;
      pending.checks.push_back({*subject, "exists", true});
      return true;
    }
    static const std::map<std::string, std::pair<std::string, std::string>> kOps = {
        {"===", {"equals", "equals"}},
        {"==", {"equals", "equals"}},
        {"!==", {"not_equals", "not_equals"}},
        {"!=", {"not_equals", "not_equals"}},
        {"<", {"less_than", "greater_than"}},
        {">", {"greater_than", "less_than"}},
        {"<=", {"less_than_or_equal", "greater_than_or_equal"}},
        {">=", {"greater_than_or_equal", "less_than_or_equal"}}};
    const auto op = kOps.find(node.name);
    if (op == kOps.end()) return false;
    for (int side = 0; side < 2; ++side) {
      std::optional<Subject> subject = Resolve(node.children[side], aliases);
      if (!subject) continue;
      std::optional<Value> value = Literal(node.children[1 - side], pending);
      if (!value) return false;
      std::string name = side == 0 ? op->second.first : op->second.second;
      if (subject->length) {
        if (name == "not_equals" || name == "equals" || StartsWith(name, "less") ||
            StartsWith(name, "greater")) {
          name = "length." + name;
        }
      }
      pending.checks.push_back({*subject, name, *value});
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Writing into the assert and capture blocks

  bool Commit(const Pending& pending) {
    Value assertions = into_.assertions;
    for (const PendingCheck& check : pending.checks) {
      if (!AddCheck(assertions, check)) return false;
    }
    for (const auto& [name, expression] : pending.captures) {
      if (into_.captures.contains(name) && !DeepEqual(into_.captures[name], expression))
        return false;
    }
    into_.assertions = std::move(assertions);
    for (const auto& [name, expression] : pending.captures) into_.captures[name] = expression;
    for (const std::string& read : pending.reads) {
      if (std::find(into_.variables_read.begin(), into_.variables_read.end(), read) ==
          into_.variables_read.end()) {
        into_.variables_read.push_back(read);
      }
    }
    return true;
  }

  // Puts one operator into a check map; false when it is there already with another value.
  static bool PutOperator(Value& checks, const std::string& op, const Value& expected) {
    if (!checks.is_object()) return false;
    if (StartsWith(op, "length.")) {
      const std::string comparison = op.substr(7);
      Value& length = checks["length"];
      if (length.is_null()) {
        length = comparison == "equals" ? expected : Value{{comparison, expected}};
        return true;
      }
      if (!length.is_object()) length = Value{{"equals", length}};
      if (length.contains(comparison)) return DeepEqual(length[comparison], expected);
      length[comparison] = expected;
      return true;
    }
    if (checks.contains(op)) return DeepEqual(checks[op], expected);
    checks[op] = expected;
    return true;
  }

  static bool AddCheck(Value& assertions, const PendingCheck& check) {
    const Subject& s = check.subject;
    switch (s.kind) {
      case Subject::kStatus: {
        Value& status = assertions["status_code"];
        if (status.is_null() && check.op == "equals" && check.expected.is_number()) {
          status = check.expected;
          return true;
        }
        if (status.is_null()) status = Value::object();
        if (status.is_number()) {
          if (check.op == "equals") return DeepEqual(status, check.expected);
          status = Value{{"equals", status}};
        }
        return PutOperator(status, check.op, check.expected);
      }
      case Subject::kHeader: {
        Value& checks = assertions["headers"][s.header];
        if (checks.is_null()) checks = Value::object();
        return PutOperator(checks, check.op, check.expected);
      }
      case Subject::kTime: {
        if (check.op != "less_than" && check.op != "greater_than" &&
            check.op != "less_than_or_equal" && check.op != "greater_than_or_equal" &&
            check.op != "equals") {
          return false;
        }
        Value& checks = assertions["response_time_ms"];
        if (checks.is_null()) checks = Value::object();
        return PutOperator(checks, check.op, check.expected);
      }
      case Subject::kBody: {
        Value* node = &assertions["body"];
        for (const Segment& segment : s.path) {
          std::optional<std::string> key = SegmentKey(segment);
          if (!key) return false;
          if (node->is_null()) *node = Value::object();
          if (!node->is_object()) return false;
          node = &(*node)[*key];
        }
        if (node->is_null()) *node = Value::object();
        return PutOperator(*node, check.op, check.expected);
      }
      default:
        return false;
    }
  }

  const std::vector<Token>& tokens_;
  std::string_view source_;
  ScriptConversion& into_;
};

}  // namespace

void ConvertPostmanTests(std::string_view script, ScriptConversion& into) {
  const std::vector<Token> tokens = Tokenize(script);
  Interpreter(tokens, script, into).Block(0, tokens.size(), {}, "");
}

}  // namespace flow::core::convert

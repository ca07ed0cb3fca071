#include "core/jmespath/parser.hpp"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "core/jmespath/errors.hpp"
#include "core/jmespath/functions.hpp"
#include "core/jmespath/lexer.hpp"
#include "core/util/strings.hpp"

namespace flow::core::jmespath::detail {
namespace {

using MutableNode = std::shared_ptr<Node>;

// Tokens whose binding power is below this end the right-hand side of a projection.
constexpr int kProjectionStop = 10;

int BindingPower(TokenKind kind) {
  switch (kind) {
    case TokenKind::kPipe:
      return 1;
    case TokenKind::kOr:
      return 2;
    case TokenKind::kAnd:
      return 3;
    case TokenKind::kEq:
    case TokenKind::kNe:
    case TokenKind::kLt:
    case TokenKind::kLte:
    case TokenKind::kGt:
    case TokenKind::kGte:
      return 5;
    case TokenKind::kFlatten:
      return 9;
    case TokenKind::kStar:
      return 20;
    case TokenKind::kFilter:
      return 21;
    case TokenKind::kDot:
      return 40;
    case TokenKind::kNot:
      return 45;
    case TokenKind::kLbrace:
      return 50;
    case TokenKind::kLbracket:
      return 55;
    case TokenKind::kLparen:
      return 60;
    default:
      return 0;
  }
}

class Parser {
 public:
  Parser(std::string_view text, std::vector<Token> tokens)
      : text_(text), tokens_(std::move(tokens)) {}

  Result<NodePtr> Run() {
    MutableNode root = Expression(0);
    if (root && Current().kind != TokenKind::kEof) {
      root = Unexpected(Current());
    }
    if (!root) return std::move(*error_);
    // Only a well-formed expression reports its unknown functions, arities and slice steps.
    if (semantic_error_) return std::move(*semantic_error_);
    return NodePtr(std::move(root));
  }

 private:
  // --- tokens -----------------------------------------------------------------------------------
  const Token& Current() const { return tokens_[pos_]; }
  const Token& Peek(std::size_t ahead) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  void Advance() {
    if (pos_ + 1 < tokens_.size()) ++pos_;
  }

  // --- errors: set the first error and return nullptr
  // ---------------------------------------------
  MutableNode Fail(Error error) {
    if (!error_) error_ = std::move(error);
    return nullptr;
  }
  // An error that does not stop parsing, so a later syntax error still wins.
  void Defer(Error error) {
    if (!semantic_error_) semantic_error_ = std::move(error);
  }
  MutableNode FailAt(const Token& token, std::string_view message) {
    return Fail(SyntaxError(text_, token.offset, message));
  }
  MutableNode Unexpected(const Token& token) {
    return FailAt(token, "unexpected " + DescribeToken(token));
  }
  bool Match(TokenKind kind, std::string_view what) {
    if (Current().kind == kind) {
      Advance();
      return true;
    }
    FailAt(Current(), "expected " + std::string(what) + " but found " + DescribeToken(Current()));
    return false;
  }

  // --- nodes ------------------------------------------------------------------------------------
  MutableNode Make(NodeKind kind, std::vector<NodePtr> children = {}) {
    auto node = std::make_shared<Node>(kind);
    node->children = std::move(children);
    for (const NodePtr& child : node->children) {
      if (!Deepen(*node, *child)) return nullptr;
    }
    return node;
  }
  // Accounts for `child` (just added to `node`) in node's depth; fails beyond kMaxDepth.
  bool Deepen(Node& node, const Node& child) {
    node.depth = std::max(node.depth, child.depth + 1);
    if (node.depth <= kMaxDepth) return true;
    FailAt(Current(),
           "expression nested too deeply (more than " + std::to_string(kMaxDepth) + " levels)");
    return false;
  }
  MutableNode Identity() { return Make(NodeKind::kIdentity); }

  // a.b.c and a | b | c are chains: flat lists evaluated one after the other, so long chains
  // neither deepen the tree nor the interpreter's recursion.
  MutableNode Chain(MutableNode left, MutableNode right) {
    if (left->kind == NodeKind::kIdentity) return right;
    if (left->kind == NodeKind::kChain) {
      if (right->kind == NodeKind::kChain) {
        for (const NodePtr& child : right->children) {
          if (!Deepen(*left, *child)) return nullptr;
        }
        left->children.insert(left->children.end(), right->children.begin(), right->children.end());
      } else {
        if (!Deepen(*left, *right)) return nullptr;
        left->children.push_back(std::move(right));
      }
      return left;
    }
    if (right->kind == NodeKind::kChain) {
      if (!Deepen(*right, *left)) return nullptr;
      right->children.insert(right->children.begin(), std::move(left));
      return right;
    }
    return Make(NodeKind::kChain, {std::move(left), std::move(right)});
  }
  // a || b || c (and &&) likewise become one node with many operands.
  MutableNode Logical(NodeKind kind, MutableNode left, MutableNode right) {
    if (left->kind == kind) {
      if (!Deepen(*left, *right)) return nullptr;
      left->children.push_back(std::move(right));
      return left;
    }
    return Make(kind, {std::move(left), std::move(right)});
  }

  // --- the Pratt loop
  // -----------------------------------------------------------------------------
  MutableNode Expression(int binding_power) {
    if (++depth_ > kMaxDepth) {
      return FailAt(Current(), "expression nested too deeply (more than " +
                                   std::to_string(kMaxDepth) + " levels)");
    }
    const Token& token = Current();
    Advance();
    MutableNode left = Nud(token);
    while (left && binding_power < BindingPower(Current().kind)) {
      const Token& op = Current();
      Advance();
      left = Led(op, std::move(left));
    }
    --depth_;
    return left;
  }

  MutableNode Nud(const Token& token) {
    switch (token.kind) {
      case TokenKind::kLiteral: {
        MutableNode node = Make(NodeKind::kLiteral);
        if (node) node->literal = token.literal;
        return node;
      }
      case TokenKind::kUnquotedIdentifier:
      case TokenKind::kQuotedIdentifier: {
        if (token.kind == TokenKind::kQuotedIdentifier && Current().kind == TokenKind::kLparen) {
          return FailAt(token, "a quoted identifier cannot be a function name");
        }
        MutableNode node = Make(NodeKind::kField);
        if (node) {
          node->name = token.text;
          node->offset = token.offset;
          node->quoted = token.kind == TokenKind::kQuotedIdentifier;
        }
        return node;
      }
      case TokenKind::kStar: {
        MutableNode left = Identity();
        MutableNode right = Current().kind == TokenKind::kRbracket ? Identity() : ProjectionRhs(20);
        if (!left || !right) return nullptr;
        return Make(NodeKind::kValueProjection, {std::move(left), std::move(right)});
      }
      case TokenKind::kFilter: {
        MutableNode left = Identity();
        if (!left) return nullptr;
        return FilterLed(std::move(left));
      }
      case TokenKind::kLbrace:
        return MultiSelectHash();
      case TokenKind::kLparen: {
        MutableNode inner = Expression(0);
        if (!inner || !Match(TokenKind::kRparen, "')'")) return nullptr;
        return inner;
      }
      case TokenKind::kFlatten: {
        MutableNode identity = Identity();
        if (!identity) return nullptr;
        MutableNode left = Make(NodeKind::kFlatten, {std::move(identity)});
        MutableNode right = left ? ProjectionRhs(9) : nullptr;
        if (!right) return nullptr;
        return Make(NodeKind::kProjection, {std::move(left), std::move(right)});
      }
      case TokenKind::kNot: {
        MutableNode operand = Expression(45);
        if (!operand) return nullptr;
        return Make(NodeKind::kNot, {std::move(operand)});
      }
      case TokenKind::kLbracket: {
        if (Current().kind == TokenKind::kNumber || Current().kind == TokenKind::kColon) {
          MutableNode identity = Identity();
          MutableNode index = identity ? IndexExpression() : nullptr;
          if (!index) return nullptr;
          return ProjectIfSlice(std::move(identity), std::move(index));
        }
        if (Current().kind == TokenKind::kStar && Peek(1).kind == TokenKind::kRbracket) {
          Advance();
          Advance();
          MutableNode left = Identity();
          MutableNode right = left ? ProjectionRhs(20) : nullptr;
          if (!right) return nullptr;
          return Make(NodeKind::kProjection, {std::move(left), std::move(right)});
        }
        return MultiSelectList();
      }
      case TokenKind::kCurrent:
        return Identity();
      case TokenKind::kExpref: {
        MutableNode operand = Expression(0);
        if (!operand) return nullptr;
        return Make(NodeKind::kExpressionRef, {std::move(operand)});
      }
      default:
        return Unexpected(token);
    }
  }

  MutableNode Led(const Token& op, MutableNode left) {
    switch (op.kind) {
      case TokenKind::kDot: {
        if (Current().kind == TokenKind::kStar) {
          Advance();
          MutableNode right = ProjectionRhs(40);
          if (!right) return nullptr;
          return Make(NodeKind::kValueProjection, {std::move(left), std::move(right)});
        }
        MutableNode right = DotRhs(40);
        if (!right) return nullptr;
        return Chain(std::move(left), std::move(right));
      }
      case TokenKind::kPipe: {
        MutableNode right = Expression(1);
        if (!right) return nullptr;
        return Chain(std::move(left), std::move(right));
      }
      case TokenKind::kOr:
      case TokenKind::kAnd: {
        MutableNode right = Expression(BindingPower(op.kind));
        if (!right) return nullptr;
        return Logical(op.kind == TokenKind::kOr ? NodeKind::kOr : NodeKind::kAnd, std::move(left),
                       std::move(right));
      }
      case TokenKind::kLparen:
        return FunctionCall(op, std::move(left));
      case TokenKind::kFilter:
        return FilterLed(std::move(left));
      case TokenKind::kEq:
        return Comparison(Comparator::kEq, std::move(left));
      case TokenKind::kNe:
        return Comparison(Comparator::kNe, std::move(left));
      case TokenKind::kLt:
        return Comparison(Comparator::kLt, std::move(left));
      case TokenKind::kLte:
        return Comparison(Comparator::kLte, std::move(left));
      case TokenKind::kGt:
        return Comparison(Comparator::kGt, std::move(left));
      case TokenKind::kGte:
        return Comparison(Comparator::kGte, std::move(left));
      case TokenKind::kFlatten: {
        MutableNode flattened = Make(NodeKind::kFlatten, {std::move(left)});
        MutableNode right = flattened ? ProjectionRhs(9) : nullptr;
        if (!right) return nullptr;
        return Make(NodeKind::kProjection, {std::move(flattened), std::move(right)});
      }
      case TokenKind::kLbracket: {
        if (Current().kind == TokenKind::kNumber || Current().kind == TokenKind::kColon) {
          MutableNode index = IndexExpression();
          if (!index) return nullptr;
          return ProjectIfSlice(std::move(left), std::move(index));
        }
        if (Current().kind != TokenKind::kStar || Peek(1).kind != TokenKind::kRbracket) {
          return FailAt(Current(), "expected a number, ':' or '*' after '[' but found " +
                                       DescribeToken(Current()));
        }
        Advance();
        Advance();
        MutableNode right = ProjectionRhs(20);
        if (!right) return nullptr;
        return Make(NodeKind::kProjection, {std::move(left), std::move(right)});
      }
      default:
        return Unexpected(op);
    }
  }

  // --- pieces
  // -------------------------------------------------------------------------------------
  MutableNode Comparison(Comparator comparator, MutableNode left) {
    MutableNode right = Expression(5);
    if (!right) return nullptr;
    MutableNode node = Make(NodeKind::kComparison, {std::move(left), std::move(right)});
    if (node) node->comparator = comparator;
    return node;
  }

  MutableNode FilterLed(MutableNode left) {
    MutableNode condition = Expression(0);
    if (!condition || !Match(TokenKind::kRbracket, "']'")) return nullptr;
    MutableNode right = Current().kind == TokenKind::kFlatten ? Identity() : ProjectionRhs(21);
    if (!right) return nullptr;
    return Make(NodeKind::kFilterProjection,
                {std::move(left), std::move(condition), std::move(right)});
  }

  // What follows a projection: nothing (a token that stops it), [..], [?..] or .rhs.
  MutableNode ProjectionRhs(int binding_power) {
    const TokenKind kind = Current().kind;
    if (BindingPower(kind) < kProjectionStop) return Identity();
    if (kind == TokenKind::kLbracket || kind == TokenKind::kFilter) {
      return Expression(binding_power);
    }
    if (kind == TokenKind::kDot) {
      Advance();
      return DotRhs(binding_power);
    }
    return Unexpected(Current());
  }

  // After '.': an identifier, a multi-select list or hash, a function call, or '*'.
  MutableNode DotRhs(int binding_power) {
    switch (Current().kind) {
      case TokenKind::kUnquotedIdentifier:
      case TokenKind::kQuotedIdentifier:
      case TokenKind::kStar:
        return Expression(binding_power);
      case TokenKind::kLbracket:
        Advance();
        return MultiSelectList();
      case TokenKind::kLbrace:
        Advance();
        return MultiSelectHash();
      default:
        return FailAt(Current(), "expected an identifier, '[', '{' or '*' after '.' but found " +
                                     DescribeToken(Current()));
    }
  }

  // Slices project; a plain index does not.
  MutableNode ProjectIfSlice(MutableNode left, MutableNode index) {
    const bool is_slice = index->kind == NodeKind::kSlice;
    MutableNode chained = Chain(std::move(left), std::move(index));
    if (!chained || !is_slice) return chained;
    MutableNode right = ProjectionRhs(20);
    if (!right) return nullptr;
    return Make(NodeKind::kProjection, {std::move(chained), std::move(right)});
  }

  // Just after '[': a number followed by ']', or a slice start:stop:step.
  MutableNode IndexExpression() {
    if (Current().kind == TokenKind::kNumber && Peek(1).kind != TokenKind::kColon) {
      MutableNode node = Make(NodeKind::kIndex);
      if (!node) return nullptr;
      node->index = Current().number;
      Advance();
      if (!Match(TokenKind::kRbracket, "']'")) return nullptr;
      return node;
    }
    std::optional<std::int64_t> parts[3];
    const Token* step_token = nullptr;
    int part = 0;
    bool seen_number = false;
    while (Current().kind != TokenKind::kRbracket) {
      if (Current().kind == TokenKind::kColon) {
        if (++part == 3) return FailAt(Current(), "a slice has at most three parts");
        seen_number = false;
      } else if (Current().kind == TokenKind::kNumber && !seen_number) {
        parts[part] = Current().number;
        if (part == 2) step_token = &Current();
        seen_number = true;
      } else {
        return FailAt(Current(), "expected a number, ':' or ']' in a slice but found " +
                                     DescribeToken(Current()));
      }
      Advance();
    }
    Advance();  // ']'
    if (parts[2] && *parts[2] == 0) {
      Defer(JmesPathError(kInvalidValue, "slice step cannot be 0 (at column " +
                                             std::to_string(ColumnOf(text_, step_token->offset)) +
                                             ")"));
    }
    MutableNode node = Make(NodeKind::kSlice);
    if (!node) return nullptr;
    node->slice = Slice{.start = parts[0], .stop = parts[1], .step = parts[2].value_or(1)};
    if (node->slice.step == 0) node->slice.step = 1;  // never evaluated: the error is deferred
    return node;
  }

  // Just after '[' of [a, b, ...].
  MutableNode MultiSelectList() {
    std::vector<NodePtr> items;
    while (true) {
      MutableNode item = Expression(0);
      if (!item) return nullptr;
      items.push_back(std::move(item));
      if (Current().kind == TokenKind::kRbracket) break;
      if (!Match(TokenKind::kComma, "',' or ']'")) return nullptr;
    }
    Advance();  // ']'
    return Make(NodeKind::kMultiSelectList, std::move(items));
  }

  // Just after '{' of {key: expression, ...}.
  MutableNode MultiSelectHash() {
    std::vector<NodePtr> values;
    std::vector<std::string> keys;
    while (true) {
      const Token& key = Current();
      if (key.kind != TokenKind::kUnquotedIdentifier && key.kind != TokenKind::kQuotedIdentifier) {
        return FailAt(key, "expected a key name but found " + DescribeToken(key));
      }
      Advance();
      if (!Match(TokenKind::kColon, "':'")) return nullptr;
      MutableNode value = Expression(0);
      if (!value) return nullptr;
      keys.push_back(key.text);
      values.push_back(std::move(value));
      if (Current().kind == TokenKind::kRbrace) break;
      if (!Match(TokenKind::kComma, "',' or '}'")) return nullptr;
    }
    Advance();  // '}'
    MutableNode node = Make(NodeKind::kMultiSelectHash, std::move(values));
    if (node) node->keys = std::move(keys);
    return node;
  }

  // `left` followed by '(': a call when left is a plain name.
  MutableNode FunctionCall(const Token& paren, MutableNode left) {
    if (left->kind != NodeKind::kField || left->quoted) {
      return FailAt(paren, "unexpected '(': only a function name can be called");
    }
    const Function* function = FindFunction(left->name);
    if (!function) {
      Defer(JmesPathError(kUnknownFunction,
                          "unknown function '" + left->name + "()' at column " +
                              std::to_string(ColumnOf(text_, left->offset)),
                          DidYouMean(left->name, FunctionNames())));
    }
    std::vector<NodePtr> args;
    if (Current().kind != TokenKind::kRparen) {
      while (true) {
        MutableNode arg = Expression(0);
        if (!arg) return nullptr;
        args.push_back(std::move(arg));
        if (Current().kind == TokenKind::kRparen) break;
        if (!Match(TokenKind::kComma, "',' or ')'")) return nullptr;
      }
    }
    Advance();  // ')'
    if (function) {
      if (const std::string problem = CheckArity(*function, args.size()); !problem.empty()) {
        Defer(JmesPathError(kInvalidArity, problem));
      }
    }
    MutableNode node = Make(NodeKind::kFunctionCall, std::move(args));
    if (node) node->function = function;
    return node;
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  std::optional<Error> error_;
  std::optional<Error> semantic_error_;
};

}  // namespace

Result<NodePtr> Parse(std::string_view text) {
  Result<std::vector<Token>> tokens = Tokenize(text);
  if (!tokens) return std::move(tokens).error();
  return Parser(text, std::move(*tokens)).Run();
}

}  // namespace flow::core::jmespath::detail

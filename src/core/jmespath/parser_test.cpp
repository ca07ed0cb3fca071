#include "core/jmespath/parser.hpp"

#include <gtest/gtest.h>

#include <string>

namespace flow::core::jmespath::detail {
namespace {

NodePtr ParseOk(std::string_view text) {
  Result<NodePtr> root = Parse(text);
  EXPECT_TRUE(root.has_value()) << text << ": " << (root ? "" : root.error().message);
  return root ? *root : nullptr;
}

Error ParseError(std::string_view text) {
  Result<NodePtr> root = Parse(text);
  EXPECT_FALSE(root.has_value()) << text << " parsed";
  return root ? Error{} : root.error();
}

TEST(JmesPathParser, SubexpressionsAndPipesBecomeOneFlatChain) {
  const NodePtr root = ParseOk("a.b | c.d | e");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->kind, NodeKind::kChain);
  EXPECT_EQ(root->children.size(), 5u);
  EXPECT_EQ(root->depth, 2);
}

TEST(JmesPathParser, OrAndAndChainsStayShallow) {
  const NodePtr root = ParseOk("a || b || c || d");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->kind, NodeKind::kOr);
  EXPECT_EQ(root->children.size(), 4u);
}

TEST(JmesPathParser, ProjectionKeepsWhatFollowsItUntilAStopToken) {
  const NodePtr root = ParseOk("foo[*].bar.baz | length(@)");
  ASSERT_TRUE(root);
  ASSERT_EQ(root->kind, NodeKind::kChain);
  ASSERT_EQ(root->children.size(), 2u);
  const Node& projection = *root->children[0];
  ASSERT_EQ(projection.kind, NodeKind::kProjection);
  EXPECT_EQ(projection.children[1]->kind, NodeKind::kChain);  // .bar.baz, inside the projection
  EXPECT_EQ(root->children[1]->kind, NodeKind::kFunctionCall);
}

TEST(JmesPathParser, ASliceIsAProjectionAndAnIndexIsNot) {
  const NodePtr slice = ParseOk("foo[1:].a");
  ASSERT_TRUE(slice);
  EXPECT_EQ(slice->kind, NodeKind::kProjection);
  const NodePtr index = ParseOk("foo[1].a");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->kind, NodeKind::kChain);
}

TEST(JmesPathParser, SyntaxErrorsNameTheColumnAndTheToken) {
  EXPECT_EQ(ParseError("foo.").message,
            "expected an identifier, '[', '{' or '*' after '.' but "
            "found end of expression at column 5");
  EXPECT_EQ(ParseError("foo[0, 1]").message, "expected ']' but found ',' at column 6");
  EXPECT_EQ(ParseError("a b").message, "unexpected identifier 'b' at column 3");
  EXPECT_EQ(ParseError("{a: b").message,
            "expected ',' or '}' but found end of expression at "
            "column 6");
  EXPECT_EQ(ParseError("\"f\"(x)").message,
            "a quoted identifier cannot be a function name at column 1");
  EXPECT_EQ(ParseError("@(x)").message,
            "unexpected '(': only a function name can be called at column 2");
  EXPECT_EQ(ParseError("foo[8:2:0:1]").reason, "syntax");
  EXPECT_EQ(ParseError("foo[1 2]").reason, "syntax");
}

TEST(JmesPathParser, UnknownFunctionFailsWhenCompilingWithASuggestion) {
  const Error error = ParseError("a | sortby(@, &b)");
  EXPECT_EQ(error.reason, "unknown-function");
  EXPECT_EQ(error.message, "unknown function 'sortby()' at column 5");
  EXPECT_EQ(error.hint, "did you mean 'sort_by' or 'sort'?");
}

TEST(JmesPathParser, WrongArityFailsWhenCompiling) {
  EXPECT_EQ(ParseError("abs(`1`, `2`)").reason, "invalid-arity");
  EXPECT_EQ(ParseError("abs(`1`, `2`)").message, "abs() takes 1 argument but 2 were given");
  EXPECT_EQ(ParseError("merge()").message, "merge() takes at least 1 argument but 0 were given");
  EXPECT_EQ(ParseError("not_null()").reason, "invalid-arity");
}

TEST(JmesPathParser, SyntaxErrorsWinOverUnknownFunctionsAndArity) {
  EXPECT_EQ(ParseError("nope(a) ||").reason, "syntax");
  EXPECT_EQ(ParseError("abs() ]").reason, "syntax");
  EXPECT_EQ(ParseError("a[::0] b").reason, "syntax");
  EXPECT_EQ(ParseError("nope(abs())").reason, "unknown-function");  // the first one found
}

TEST(JmesPathParser, ZeroSliceStepIsAnInvalidValue) {
  const Error error = ParseError("foo[::0]");
  EXPECT_EQ(error.reason, "invalid-value");
  EXPECT_EQ(error.message, "slice step cannot be 0 (at column 7)");
}

TEST(JmesPathParser, DeepNestingIsASyntaxErrorNotAStackOverflow) {
  for (const std::string& opener : {std::string("("), std::string("["), std::string("!"),
                                    std::string("{a:"), std::string("abs(")}) {
    std::string text;
    for (int i = 0; i < 100000; ++i) text += opener;
    text += "a";
    const Error error = ParseError(text);
    EXPECT_EQ(error.reason, "syntax") << opener;
    EXPECT_NE(error.message.find("nested too deeply"), std::string::npos) << opener;
  }
}

TEST(JmesPathParser, LeftNestedChainsOfOperatorsAreLimitedToo) {
  std::string flatten = "a";
  std::string compare = "a";
  for (int i = 0; i < 50000; ++i) {
    flatten += "[]";
    compare += "==a";
  }
  EXPECT_NE(ParseError(flatten).message.find("nested too deeply"), std::string::npos);
  EXPECT_NE(ParseError(compare).message.find("nested too deeply"), std::string::npos);
}

TEST(JmesPathParser, LongFlatChainsAreFine) {
  std::string text = "a";
  for (int i = 0; i < 100000; ++i) text += i % 2 ? ".b" : " | c";
  const NodePtr root = ParseOk(text);
  ASSERT_TRUE(root);
  EXPECT_EQ(root->children.size(), 100001u);
}

TEST(JmesPathParser, NestingJustUnderTheLimitParses) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "(";
  text += "a";
  for (int i = 0; i < 200; ++i) text += ")";
  EXPECT_TRUE(ParseOk(text));
}

}  // namespace
}  // namespace flow::core::jmespath::detail

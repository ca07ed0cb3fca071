#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/template/template.hpp"
#include "tests/support/fakes.hpp"

namespace flow::core {
namespace {

// Four variable scopes and an export registry, each with a variable "level" naming its scope.
class ResolveTest : public ::testing::Test {
 protected:
  ResolveTest() {
    runtime = Value::parse(R"({"level": "runtime", "only_runtime": 1, "alias.var": "literal",
                               "user": {"name": "ana", "tags": ["x", "y", "z"], "address":
                               {"zip": "01000"}, "odd key": {"a b": 5}},
                               "items": [{"id": 10}, {"id": 20}], "word": "héllo😀",
                               "shared": "variable wins"})");
    suite = Value::parse(R"({"level": "suite", "only_suite": 2})");
    imported = Value::parse(R"({"level": "imported", "only_imported": 3})");
    global = Value::parse(R"({"level": "global", "only_global": 4, "base_url": "http://h"})");
    exports = Value::parse(R"({"auth": {"token": "abc", "user": {"id": 99, "roles": ["admin"]}},
                               "auth-flow": {"session": "s1"}, "shared": {"x": "export"},
                               "alias": {"var": "from export"}})");
    ctx.scopes = {.runtime = &runtime,
                  .suite = &suite,
                  .imported = &imported,
                  .global = &global,
                  .exports = &exports};
    ctx.environment = &environment;
  }

  Value Resolve(std::string_view path) {
    Result<Value> value = ResolvePath(path, ctx);
    EXPECT_TRUE(value.has_value()) << path << ": " << value.error().message;
    return value ? *value : Value("<error>");
  }

  Error ResolveError(std::string_view path) {
    Result<Value> value = ResolvePath(path, ctx);
    EXPECT_FALSE(value.has_value()) << path << " gave " << DumpJson(*value);
    return value ? Error{} : value.error();
  }

  Value runtime, suite, imported, global, exports;
  testing::FakeEnvironment environment;
  InterpolationContext ctx;
};

TEST_F(ResolveTest, BareNamesFollowScopePrecedence) {
  EXPECT_EQ(Resolve("level"), Value("runtime"));
  ctx.scopes.runtime = nullptr;
  EXPECT_EQ(Resolve("level"), Value("suite"));
  ctx.scopes.suite = nullptr;
  EXPECT_EQ(Resolve("level"), Value("imported"));
  ctx.scopes.imported = nullptr;
  EXPECT_EQ(Resolve("level"), Value("global"));
}

TEST_F(ResolveTest, LowerScopesAreStillSearched) {
  EXPECT_EQ(Resolve("only_runtime"), Value(1));
  EXPECT_EQ(Resolve("only_suite"), Value(2));
  EXPECT_EQ(Resolve("only_imported"), Value(3));
  EXPECT_EQ(Resolve("only_global"), Value(4));
}

TEST_F(ResolveTest, AHigherScopeShadowsTheSameNameBelowIt) {
  suite["user"] = Value::parse(R"({"nickname": "an"})");
  EXPECT_EQ(ResolveError("user.nickname").message, "variable 'user' has no 'nickname'");
  ctx.scopes.runtime = nullptr;
  EXPECT_EQ(Resolve("user.nickname"), Value("an"));
}

TEST_F(ResolveTest, DottedKeysInLowerScopesAndLongerPrefixes) {
  global["svc.url"] = Value::parse(R"({"path": "/v1"})");
  EXPECT_EQ(Resolve("svc.url"), Value::parse(R"({"path": "/v1"})"));
  EXPECT_EQ(Resolve("svc.url.path"), Value("/v1"));
  EXPECT_EQ(Resolve("svc.url.path.length"), Value(3));
}

TEST_F(ResolveTest, ExactDottedKeyComesFirst) {
  EXPECT_EQ(Resolve("alias.var"), Value("literal"));
  runtime.erase("alias.var");
  EXPECT_EQ(Resolve("alias.var"), Value("from export"));
}

TEST_F(ResolveTest, WalksDottedAndIndexedPaths) {
  EXPECT_EQ(Resolve("user.name"), Value("ana"));
  EXPECT_EQ(Resolve("user.tags[0]"), Value("x"));
  EXPECT_EQ(Resolve("user.tags.2"), Value("z"));
  EXPECT_EQ(Resolve("items[1].id"), Value(20));
  EXPECT_EQ(Resolve("items.0.id"), Value(10));
  EXPECT_EQ(Resolve("user.address.zip"), Value("01000"));
  EXPECT_EQ(Resolve(R"(user["odd key"]['a b'])"), Value(5));
}

TEST_F(ResolveTest, QuotedKeysMayHoldEscapedQuotes) {
  runtime["q"] = Value::parse(R"({"say \"hi\"": 1})");
  EXPECT_EQ(Resolve(R"(q["say \"hi\""])"), Value(1));
}

TEST_F(ResolveTest, LengthOfListsAndStrings) {
  EXPECT_EQ(Resolve("user.tags.length"), Value(3));
  EXPECT_EQ(Resolve("items.length"), Value(2));
  EXPECT_EQ(Resolve("user.name.length"), Value(3));
  EXPECT_EQ(Resolve("word.length"), Value(7));  // UTF-16 units, as in JavaScript
}

TEST_F(ResolveTest, AKeyNamedLengthWinsOverTheLength) {
  runtime["box"] = Value::parse(R"({"length": "a key"})");
  EXPECT_EQ(Resolve("box.length"), Value("a key"));
  EXPECT_EQ(ResolveError("user.length").message, "variable 'user' has no 'length'");
}

TEST_F(ResolveTest, ExportsResolveAtAnyDepth) {
  EXPECT_EQ(Resolve("auth.token"), Value("abc"));
  EXPECT_EQ(Resolve("auth.user.id"), Value(99));
  EXPECT_EQ(Resolve("auth.user.roles[0]"), Value("admin"));
  EXPECT_EQ(Resolve("auth-flow.session"), Value("s1"));
}

TEST_F(ResolveTest, VariablesWinOverExportsWithTheSameHead) {
  runtime["auth"] = Value::parse(R"({"token": "mine"})");
  EXPECT_EQ(Resolve("auth.token"), Value("mine"));
  // and the variable shadows the export entirely
  EXPECT_EQ(ResolveError("auth.user").message, "variable 'auth' has no 'user'");
}

TEST_F(ResolveTest, AnExportIsNotReachableByItsBareName) {
  const Error error = ResolveError("token");
  EXPECT_EQ(error.message, "unknown variable 'token'");
  EXPECT_EQ(error.hint, "did you mean 'auth.token'?");
}

TEST_F(ResolveTest, MissingExportNamesTheNode) {
  const Error error = ResolveError("auth.tokn");
  EXPECT_EQ(error.reason, "unresolved-variable");
  EXPECT_EQ(error.message, "node 'auth' exports no 'tokn'");
  EXPECT_EQ(error.hint, "did you mean 'token'?");
  EXPECT_EQ(ResolveError("auth.user.idd").message, "variable 'auth.user' has no 'idd'");
}

TEST_F(ResolveTest, TailErrorsSayWhatIsThere) {
  EXPECT_EQ(ResolveError("user.tags[5]").message,
            "variable 'user.tags' has no '5' (it has 3 items)");
  EXPECT_EQ(ResolveError("user.tags.first").message,
            "variable 'user.tags' is an array and has no 'first'");
  EXPECT_EQ(ResolveError("user.name.first").message,
            "variable 'user.name' is a string and has no 'first'");
  EXPECT_EQ(ResolveError("user.address.zip.code").message,
            "variable 'user.address.zip' is a string and has no 'code'");
  EXPECT_EQ(ResolveError("user.tags.01").message,
            "variable 'user.tags' is an array and has no '01'");
}

TEST_F(ResolveTest, UnknownHeadSuggestsTheFullPath) {
  const Error error = ResolveError("usr.name");
  EXPECT_EQ(error.message, "unknown variable 'usr.name'");
  EXPECT_EQ(error.hint, "did you mean 'user.name'?");
}

TEST_F(ResolveTest, HugeNamesGetNoHintAndFinishQuickly) {
  const std::string huge(1'000'000, 'u');
  runtime[huge] = 1;
  runtime["uu"] = 2;
  const Error error = ResolveError(huge + "x");
  EXPECT_EQ(error.reason, "unresolved-variable");
  EXPECT_TRUE(error.hint.empty());
  EXPECT_EQ(ResolveError("uuu.x").hint, "did you mean 'uu.x'?");  // the huge key is skipped
}

TEST_F(ResolveTest, EnvThroughResolvePath) {
  environment.vars = {{"HOME_DIR", "/home/x"}};
  EXPECT_EQ(Resolve("$env.HOME_DIR"), Value("/home/x"));
  EXPECT_EQ(Resolve(" $env.NOPE "), Value(nullptr));
  EXPECT_EQ(ResolveError("$env.").reason, "syntax");
}

TEST_F(ResolveTest, ResolvePathIgnoresTheLiteralPolicy) {
  ctx.unresolved = UnresolvedPolicy::kLiteral;
  EXPECT_EQ(ResolveError("nope").reason, "unresolved-variable");
  EXPECT_EQ(ResolveError("").reason, "syntax");
}

TEST_F(ResolveTest, ScopesThatAreNotObjectsAreIgnored) {
  const Value not_an_object = Value::array({1, 2});
  ctx.scopes.runtime = &not_an_object;
  ctx.scopes.exports = &not_an_object;
  EXPECT_EQ(Resolve("level"), Value("suite"));
  EXPECT_EQ(ResolveError("auth.token").message, "unknown variable 'auth.token'");
}

TEST_F(ResolveTest, KnownNamesListsVariablesOnceAndExportsQualified) {
  const std::vector<std::string> names = KnownNames(ctx);
  const auto count = [&names](const std::string& name) {
    return std::count(names.begin(), names.end(), name);
  };
  EXPECT_EQ(count("level"), 1);
  EXPECT_EQ(count("only_global"), 1);
  EXPECT_EQ(count("alias.var"), 1);  // a runtime key and an export with the same spelling
  EXPECT_EQ(count("auth.token"), 1);
  EXPECT_EQ(count("auth.user"), 1);
  EXPECT_EQ(count("auth-flow.session"), 1);
  EXPECT_EQ(count("token"), 0);
  EXPECT_EQ(names.front(), "level");  // runtime first, in written order
}

TEST_F(ResolveTest, KnownNamesOfAnEmptyContextIsEmpty) {
  EXPECT_TRUE(KnownNames(InterpolationContext{}).empty());
}

TEST_F(ResolveTest, TemplatesReturnACopyThatOutlivesTheScopes) {
  Value rendered;
  {
    Value scope = Value::parse(R"({"obj": {"deep": [1, 2]}})");
    InterpolationContext local;
    local.scopes.runtime = &scope;
    rendered = *Template::Parse("{{obj}}")->Render(local);
  }
  EXPECT_EQ(rendered["deep"][1], Value(2));
}

}  // namespace
}  // namespace flow::core

// Every entry of the converters' faker table (core/convert/faker_tokens.hpp) rendered the way a
// run renders it: Template::Parse + Render with the real SandboxScriptEngine (the helper flowtest
// starts, with the bundled faker 9.9.0). An entry naming a faker method that does not exist, or
// giving a value of another type or shape than the table says, fails here.
#include "core/convert/faker_tokens.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>

#include "adapters/script_mozjs/host/sandbox_script_engine.hpp"
#include "core/template/template.hpp"
#include "tests/support/fakes.hpp"

namespace flow::core::convert {
namespace {

using namespace std::chrono_literals;

adapters::sandbox::SandboxOptions HelperOptions() {
  adapters::sandbox::SandboxOptions options;
  options.helper_executable = FLOW_SANDBOX_HELPER;
  options.helper_args = {"__sandbox-helper"};
  options.start_timeout = 20000ms;  // generous: the machine is shared while tests run
  return options;
}

bool HasType(const Value& value, std::string_view type) {
  if (type == "string") return value.is_string();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  return false;
}

TEST(FakerTokens, EveryTemplateRendersInTheBundledFakerWithItsTypeAndShape) {
  adapters::sandbox::SandboxScriptEngine engine(HelperOptions());
  flow::testing::FakeClock clock;
  clock.unix_ms = 1'764'000'000'000;  // 2025-11-24
  flow::testing::FakeEntropy entropy;
  // Several seeds, so a pattern that only some values match is caught.
  for (const std::uint64_t seed : {1u, 42u, 20261204u}) {
    Result<std::unique_ptr<ScriptSession>> session = engine.OpenSession({.faker_seed = seed});
    ASSERT_TRUE(session) << session.error().message;
    for (const FakerToken& token : FakerTokens()) {
      Result<Template> parsed = Template::Parse(token.text);
      ASSERT_TRUE(parsed) << token.text;
      InterpolationContext ctx{.clock = &clock, .entropy = &entropy, .script = session->get()};
      Result<Value> value = parsed->Render(ctx);
      ASSERT_TRUE(value) << token.key << ": " << token.text << ": " << value.error().message;
      EXPECT_TRUE(HasType(*value, token.type)) << token.key << ": " << token.text << " gave "
                                               << DumpJson(*value) << ", expected a " << token.type;
      if (!token.pattern.empty()) {
        const std::string text = ToText(*value);
        EXPECT_TRUE(
            std::regex_search(text, std::regex(std::string(token.pattern), std::regex::ECMAScript)))
            << token.key << ": " << token.text << " gave '" << text << "', which does not match "
            << token.pattern;
      }
    }
  }
}

// The check above can fail: a method faker does not have is an error, not a value.
TEST(FakerTokens, AMethodFakerLacksIsAnError) {
  adapters::sandbox::SandboxScriptEngine engine(HelperOptions());
  Result<std::unique_ptr<ScriptSession>> session = engine.OpenSession({});
  ASSERT_TRUE(session) << session.error().message;
  Result<Template> parsed = Template::Parse("{{faker.uuid}}");  // the original engine's token
  ASSERT_TRUE(parsed);
  InterpolationContext ctx{.script = session->get()};
  Result<Value> value = parsed->Render(ctx);
  EXPECT_FALSE(value) << DumpJson(*value);
}

}  // namespace
}  // namespace flow::core::convert

#include "core/input/chain_provider.hpp"

#include <gtest/gtest.h>

#include "core/input/input_test_support.hpp"

namespace flow::core {
namespace {

using flow::testing::ScriptedInputProvider;

TEST(ChainProvider, FirstAnswerWinsAndCanRepromptFollowsIt) {
  ScriptedInputProvider file;
  ScriptedInputProvider terminal;
  terminal.reprompt = true;
  ChainProvider chain({&file, nullptr, &terminal});
  InputRequest req;
  req.variable = "v";

  file.Say("from file");
  Result<std::optional<InputAnswer>> a = chain.Ask(req);
  ASSERT_TRUE(a && a->has_value());
  EXPECT_EQ((*a)->value, "from file");
  EXPECT_TRUE(terminal.requests.empty());
  EXPECT_FALSE(chain.CanReprompt());

  terminal.Say("typed");
  a = chain.Ask(req);  // the file has nothing more
  ASSERT_TRUE(a && a->has_value());
  EXPECT_EQ((*a)->value, "typed");
  EXPECT_TRUE(chain.CanReprompt());

  a = chain.Ask(req);
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->has_value());
  EXPECT_FALSE(chain.CanReprompt());
}

TEST(ChainProvider, AnErrorStopsTheChain) {
  ScriptedInputProvider broken;
  ScriptedInputProvider never;
  broken.replies.push_back(Unavailable("gone"));
  ChainProvider chain({&broken, &never});
  Result<std::optional<InputAnswer>> a = chain.Ask(InputRequest{});
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().message, "gone");
  EXPECT_TRUE(never.requests.empty());
}

}  // namespace
}  // namespace flow::core

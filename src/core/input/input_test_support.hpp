// Test helpers of the input module: a scripted InputProvider and YAML literals. Tests only.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/parse/document.hpp"
#include "core/ports/input_provider.hpp"
#include "core/value.hpp"

namespace flow::testing {

// Answers with the queued replies in order, then with "no answer"; records every request.
class ScriptedInputProvider final : public core::InputProvider {
 public:
  core::Result<std::optional<core::InputAnswer>> Ask(const core::InputRequest& request) override {
    requests.push_back(request);
    if (replies.empty()) return std::optional<core::InputAnswer>();
    core::Result<std::optional<core::InputAnswer>> next = replies.front();
    replies.erase(replies.begin());
    return next;
  }
  bool CanReprompt() const override { return reprompt; }

  void Say(core::Value value) {
    replies.push_back(
        std::optional<core::InputAnswer>(core::InputAnswer{.value = std::move(value)}));
  }
  void SayNothing() { replies.push_back(std::optional<core::InputAnswer>()); }
  void PressEnter() {
    replies.push_back(std::optional<core::InputAnswer>(core::InputAnswer{.used_default = true}));
  }

  std::vector<core::Result<std::optional<core::InputAnswer>>> replies;
  std::vector<core::InputRequest> requests;
  bool reprompt = false;
};

// A YAML literal as a Value (the test fails on a syntax error).
inline core::Value Yaml(std::string_view text) {
  core::Result<core::Document> doc = core::ParseDocument(text, "test.yaml");
  EXPECT_TRUE(doc.has_value()) << (doc ? "" : doc.error().message);
  return doc ? doc->root : core::Value();
}

}  // namespace flow::testing

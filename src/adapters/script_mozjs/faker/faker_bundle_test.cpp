#include "adapters/script_mozjs/faker/faker_bundle.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace flow::adapters::sandbox {
namespace {

TEST(FakerBundle, SourceIsTheWholeBundle) {
  const std::string_view source = FakerBundleSource();
  EXPECT_GT(source.size(), 300u * 1024u);
  EXPECT_NE(source.find("__flowFaker"), std::string_view::npos);
  EXPECT_NE(source.find("pt_BR"), std::string_view::npos);
  // An IIFE of esbuild starts with the function and holds no NUL byte (the data is text).
  EXPECT_EQ(source.find('\0'), std::string_view::npos);
  EXPECT_TRUE(source.starts_with("(()=>{") || source.starts_with("\"use strict\";(()=>{"))
      << source.substr(0, 40);
}

TEST(FakerBundle, VersionIsTheOneTheLockPins) {
  std::ifstream in(FLOW_FAKER_LOCK_PATH);
  ASSERT_TRUE(in) << FLOW_FAKER_LOCK_PATH;
  std::stringstream text;
  text << in.rdbuf();
  const auto lock = nlohmann::json::parse(text.str(), nullptr, false);
  ASSERT_FALSE(lock.is_discarded());
  const std::string pinned =
      lock["packages"]["node_modules/@faker-js/faker"]["version"].get<std::string>();
  EXPECT_EQ(FakerVersion(), pinned);
  EXPECT_EQ(FakerVersion(), "9.9.0");
}

}  // namespace
}  // namespace flow::adapters::sandbox
